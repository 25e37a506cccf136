/// @file sim_printer.hpp
/// hw-sim's ESC/POS receipt printer on a pseudo-terminal: the daemon opens the pty's slave
/// (through a symlink at a path of the test's choosing) as its serial printer; the sim reads
/// the master, parses the stream, answers DLE EOT status queries and keeps the receipts.
#pragma once

#include <poll.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cashbridge/sim/escpos_parser.hpp"
#include "cashbridge/sim/json.hpp"
#include "cashbridge/sim/unique_fd.hpp"

namespace cashbridge::sim {

/// What the printer answers to status queries. `silent` does not answer at all (a printer
/// that is switched off).
enum class PrinterMode { ready, offline, paper_out, paper_low, silent };
std::optional<PrinterMode> printer_mode_from_string(std::string_view s);
std::string to_string(PrinterMode m);

/// The DLE EOT n answer byte in `mode` (nullopt: no answer).
std::optional<std::uint8_t> status_answer(PrinterMode mode, std::uint8_t n);

class SimPrinter {
  public:
    /// Opens a pty in raw mode and links `link_path` to its slave (replacing a stale link).
    /// Throws std::system_error.
    explicit SimPrinter(std::string link_path);
    ~SimPrinter();
    SimPrinter(const SimPrinter&) = delete;
    SimPrinter& operator=(const SimPrinter&) = delete;

    void add_pollfds(std::vector<pollfd>& fds) const;
    /// Reads and handles what the daemon wrote; returns log lines.
    std::vector<std::string> service();

    void set_mode(PrinterMode m) { mode_ = m; }
    PrinterMode mode() const { return mode_; }
    void reset();
    /// {"mode","queries","receipts":[{"lines":[...],"qr":[{"payload",...}],...}],"errors"}.
    Json status() const;
    std::size_t receipt_count() const { return receipts_.size(); }

  private:
    struct Kept {
        PrintedReceipt receipt;
        PrinterMode mode_when_printed = PrinterMode::ready;
    };
    std::string link_;
    UniqueFd master_;
    UniqueFd slave_;  // held open so the raw settings stick and the master never sees EIO
    PrinterMode mode_ = PrinterMode::ready;
    EscPosParser parser_;
    std::vector<Kept> receipts_;
    std::int64_t queries_ = 0;
};

}  // namespace cashbridge::sim
