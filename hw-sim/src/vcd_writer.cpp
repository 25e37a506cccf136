// VCD output: header once, then "#<us>" timestamps and "<0|1><id>" value changes.
#include "cashbridge/sim/vcd_writer.hpp"

#include <ctime>

namespace cashbridge::sim {

std::string VcdWriter::identifier(std::size_t index) {
    // Printable ASCII '!'..'~' (94 symbols), then as many digits in base 94 as needed.
    constexpr std::size_t base = 94;
    std::string id;
    do {
        id.push_back(static_cast<char>('!' + index % base));
        index /= base;
    } while (index > 0);
    return id;
}

VcdWriter::VcdWriter(std::ostream& out, std::vector<Wire> wires, std::int64_t t0_ns)
    : out_(out), wires_(std::move(wires)), t0_ns_(t0_ns) {
    char date[64] = "";
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    if (::gmtime_r(&now, &tm)) std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
    out_ << "$date " << date << " $end\n"
         << "$version cashbridge-sim $end\n"
         << "$comment time 0 is CLOCK_MONOTONIC " << t0_ns_ << " ns $end\n"
         << "$timescale 1us $end\n"
         << "$scope module machine $end\n";
    for (std::size_t i = 0; i < wires_.size(); ++i)
        out_ << "$var wire 1 " << identifier(i) << ' ' << wires_[i].name << " $end\n";
    out_ << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
    for (std::size_t i = 0; i < wires_.size(); ++i) {
        levels_.push_back(wires_[i].initial_level ? 1 : 0);
        out_ << levels_.back() << identifier(i) << '\n';
    }
    out_ << "$end\n";
    out_.flush();
}

std::size_t VcdWriter::index_of(const std::string& name) const {
    for (std::size_t i = 0; i < wires_.size(); ++i)
        if (wires_[i].name == name) return i;
    return wires_.size();
}

void VcdWriter::change(std::size_t index, int level, std::int64_t t_ns) {
    if (index >= wires_.size()) return;
    level = level ? 1 : 0;
    if (levels_[index] == level) return;
    levels_[index] = level;
    const std::int64_t us = t_ns > t0_ns_ ? (t_ns - t0_ns_) / 1000 : 0;
    if (us > last_us_) {
        last_us_ = us;
        out_ << '#' << us << '\n';
    }
    out_ << level << identifier(index) << '\n';
    out_.flush();
}

}  // namespace cashbridge::sim
