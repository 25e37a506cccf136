/// @file escpos_encoder.hpp
/// Builds an ESC/POS byte stream: text lines, alignment, emphasis, the printer's native
/// QR code (GS ( k, function 165-181), feed and cut, and the DLE EOT status queries. Pure: no
/// I/O, so unit tests compare bytes and hw-sim's parser reads them back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::peripherals::escpos {

enum class Align : std::uint8_t { left = 0, center = 1, right = 2 };
/// QR error correction levels as GS ( k function 169 numbers them (48..51).
enum class QrLevel : std::uint8_t { l = 48, m = 49, q = 50, h = 51 };

/// DLE EOT n: which status a query asks for.
enum class StatusKind : std::uint8_t { printer = 1, offline_cause = 2, error_cause = 3, paper = 4 };

/// The longest QR payload one GS ( k store command carries (pL pH count the 3 header bytes).
inline constexpr std::size_t qr_max_payload = 7089;

class Encoder {
  public:
    Encoder& init();                ///< ESC @: reset modes, clear the buffer
    Encoder& align(Align a);        ///< ESC a n
    Encoder& bold(bool on);         ///< ESC E n
    Encoder& double_size(bool on);  ///< GS ! n (double width and height)
    /// The text then LF. Bytes outside printable ASCII become '?': code pages differ between
    /// printers and a wrong one prints garbage, a '?' at least shows something is missing.
    Encoder& line(std::string_view text);
    Encoder& feed(int lines);  ///< ESC d n
    /// Model 2 QR of `payload` with module size `module` (1-16) via GS ( k: model, size,
    /// error correction, store, print. Throws std::invalid_argument if it is too long.
    Encoder& qr(std::string_view payload, int module, QrLevel level);
    Encoder& cut();  ///< GS V 66 n: feed to the cutter and cut partially

    const std::string& bytes() const { return out_; }

  private:
    void qr_function(std::uint8_t fn, std::string_view params);
    std::string out_;
};

/// DLE EOT n.
std::string status_query(StatusKind kind);

/// What a DLE EOT answer byte says. Bits 1 and 4 are always 1 and bits 0 and 7 always 0 in a
/// real answer: anything else is not an answer (line noise, or a printer not speaking
/// ESC/POS) and is nullopt.
struct PrinterStatus {
    bool offline = false;         ///< DLE EOT 1, bit 3
    bool paper_out = false;       ///< DLE EOT 4, bits 5-6
    bool paper_near_end = false;  ///< DLE EOT 4, bits 2-3
};
bool valid_status_byte(std::uint8_t b);
/// Folds the answer to `kind` into `status`. Returns false if `b` is not a valid answer.
bool apply_status(StatusKind kind, std::uint8_t b, PrinterStatus& status);

}  // namespace cashbridge::peripherals::escpos
