// SimPrinter: a receipt printer on a pty that parses ESC/POS and answers status queries.
#include "cashbridge/sim/sim_printer.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cashbridge::sim {

std::optional<PrinterMode> printer_mode_from_string(std::string_view s) {
    if (s == "ready") return PrinterMode::ready;
    if (s == "offline") return PrinterMode::offline;
    if (s == "paper_out") return PrinterMode::paper_out;
    if (s == "paper_low") return PrinterMode::paper_low;
    if (s == "silent") return PrinterMode::silent;
    return std::nullopt;
}

std::string to_string(PrinterMode m) {
    switch (m) {
        case PrinterMode::ready:
            return "ready";
        case PrinterMode::offline:
            return "offline";
        case PrinterMode::paper_out:
            return "paper_out";
        case PrinterMode::paper_low:
            return "paper_low";
        case PrinterMode::silent:
            return "silent";
    }
    return "ready";
}

std::optional<std::uint8_t> status_answer(PrinterMode mode, std::uint8_t n) {
    if (mode == PrinterMode::silent) return std::nullopt;
    std::uint8_t b = 0x12;  // bits 1 and 4 are fixed to 1 in every answer
    const bool paper_out = mode == PrinterMode::paper_out;
    switch (n) {
        case 1:  // printer status: bit 3 offline (a paperless printer stops, so is offline)
            if (mode == PrinterMode::offline || paper_out) b |= 0x08;
            break;
        case 2:  // offline cause: bit 5 printing stopped by paper end
            if (paper_out) b |= 0x20;
            break;
        case 3:  // error cause: none simulated
            break;
        case 4:  // roll paper sensor: bits 2-3 near end, bits 5-6 end
            if (paper_out) b |= 0x60;
            if (mode == PrinterMode::paper_low || paper_out) b |= 0x0c;
            break;
        default:
            return std::nullopt;  // not a status a real printer answers
    }
    return b;
}

SimPrinter::SimPrinter(std::string link_path) : link_(std::move(link_path)) {
    int master = -1, slave = -1;
    if (::openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) hal::throw_errno("openpty");
    master_.reset(master);
    slave_.reset(slave);
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    ::fcntl(slave, F_SETFD, FD_CLOEXEC);
    ::fcntl(master, F_SETFL, ::fcntl(master, F_GETFL) | O_NONBLOCK);
    termios t{};
    if (::tcgetattr(slave, &t) != 0) hal::throw_errno("tcgetattr on the printer pty");
    ::cfmakeraw(&t);  // binary ESC/POS: no echo, no CR/LF translation
    if (::tcsetattr(slave, TCSANOW, &t) != 0) hal::throw_errno("tcsetattr on the printer pty");
    const std::string slave_name = ::ttyname(slave) ? ::ttyname(slave) : "";
    if (slave_name.empty()) hal::throw_errno("ttyname of the printer pty");
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    std::filesystem::create_symlink(slave_name, link_);
}

SimPrinter::~SimPrinter() {
    std::error_code ec;
    std::filesystem::remove(link_, ec);
}

void SimPrinter::add_pollfds(std::vector<pollfd>& fds) const {
    fds.push_back({master_.get(), POLLIN, 0});
}

std::vector<std::string> SimPrinter::service() {
    std::vector<std::string> log;
    char buf[4096];
    for (;;) {
        const auto n = ::read(master_.get(), buf, sizeof buf);
        if (n <= 0) break;  // EAGAIN, or EIO while no one has the slave open besides us
        for (const auto q : parser_.feed(std::string_view(buf, static_cast<std::size_t>(n)))) {
            ++queries_;
            if (const auto answer = status_answer(mode_, q)) {
                const char c = static_cast<char>(*answer);
                if (::write(master_.get(), &c, 1) != 1)
                    log.push_back("printer: status answer not written: " +
                                  std::string(std::strerror(errno)));
            }
        }
        for (auto& r : parser_.take_receipts()) {
            log.push_back("printer: receipt of " + std::to_string(r.lines.size()) + " lines, " +
                          std::to_string(r.qr_codes.size()) + " QR code(s)" +
                          (mode_ == PrinterMode::ready ? "" : " while " + to_string(mode_)));
            receipts_.push_back({std::move(r), mode_});
        }
    }
    return log;
}

void SimPrinter::reset() {
    receipts_.clear();
    queries_ = 0;
}

Json SimPrinter::status() const {
    auto j = json_object();
    cJSON_AddStringToObject(j.get(), "mode", to_string(mode_).c_str());
    cJSON_AddStringToObject(j.get(), "device", link_.c_str());
    json_int(j.get(), "queries", queries_);
    auto receipts = json_array();
    for (const auto& k : receipts_) {
        auto r = json_object();
        auto lines = json_array();
        for (const auto& l : k.receipt.lines)
            json_append(lines.get(), Json(cJSON_CreateString(l.c_str())));
        json_add(r.get(), "lines", std::move(lines));
        auto codes = json_array();
        for (const auto& q : k.receipt.qr_codes) {
            auto c = json_object();
            cJSON_AddStringToObject(c.get(), "payload", q.payload.c_str());
            json_int(c.get(), "model", q.model);
            json_int(c.get(), "module", q.module);
            const char ec[2] = {q.error_correction, 0};
            cJSON_AddStringToObject(c.get(), "error_correction", ec);
            json_append(codes.get(), std::move(c));
        }
        json_add(r.get(), "qr", std::move(codes));
        cJSON_AddBoolToObject(r.get(), "cut", k.receipt.cut);
        cJSON_AddStringToObject(r.get(), "printed_while", to_string(k.mode_when_printed).c_str());
        json_append(receipts.get(), std::move(r));
    }
    json_add(j.get(), "receipts", std::move(receipts));
    auto errors = json_array();
    for (const auto& e : parser_.errors())
        json_append(errors.get(), Json(cJSON_CreateString(e.c_str())));
    json_add(j.get(), "errors", std::move(errors));
    return j;
}

}  // namespace cashbridge::sim
