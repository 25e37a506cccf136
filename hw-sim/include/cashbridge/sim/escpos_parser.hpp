/// @file escpos_parser.hpp
/// Reads an ESC/POS byte stream back into what a person would see on the paper: text
/// lines and the payloads of native QR codes, one receipt per cut. Incremental: bytes may
/// arrive split anywhere, as they do from a serial port. Written from the command reference,
/// independently of the daemon's encoder, so a round trip tests both.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cashbridge::sim {

struct PrintedQr {
    std::string payload;
    int model = 0;                ///< 1 or 2 (GS ( k function 165), 0 if never set
    int module = 3;               ///< dots per module (function 167; the printer default is 3)
    char error_correction = 'L';  ///< 'L', 'M', 'Q' or 'H' (function 169)
};

struct PrintedReceipt {
    std::vector<std::string> lines;  ///< text lines in order, without emphasis
    std::vector<PrintedQr> qr_codes;
    bool cut = false;  ///< ended by a cut (false: taken at stream end)
};

class EscPosParser {
  public:
    /// Consumes bytes. Returns the DLE EOT status queries found (their n), in order, so the
    /// caller can answer each.
    std::vector<std::uint8_t> feed(std::string_view bytes);

    /// Receipts finished by a cut since the last call.
    std::vector<PrintedReceipt> take_receipts();

    /// Problems seen (unknown commands, malformed QR functions), newest last.
    const std::vector<std::string>& errors() const { return errors_; }
    /// Bytes of printed content (text and QR) since construction.
    std::size_t content_bytes() const { return content_bytes_; }

  private:
    /// Parses one command at the front of pending_; the number of bytes it used, or 0 if
    /// the command is not complete yet.
    std::size_t parse_one(std::string_view p, std::vector<std::uint8_t>& queries);
    std::size_t parse_qr(std::string_view p);
    void end_line();
    void error(std::string text);

    std::string pending_;
    std::string line_;
    PrintedReceipt current_;
    PrintedQr qr_;
    std::optional<std::string> stored_;  // QR data stored by function 180, printed by 181
    std::vector<PrintedReceipt> done_;
    std::vector<std::string> errors_;
    std::size_t content_bytes_ = 0;
};

}  // namespace cashbridge::sim
