// ESC/POS command encoding for receipts and status queries.
#include "cashbridge/peripherals/escpos_encoder.hpp"

#include <algorithm>
#include <stdexcept>

namespace cashbridge::peripherals::escpos {
namespace {

constexpr char ESC = 0x1b, GS = 0x1d, DLE = 0x10, EOT = 0x04, LF = 0x0a;

char byte(int v) {
    return static_cast<char>(static_cast<std::uint8_t>(v));
}

}  // namespace

Encoder& Encoder::init() {
    out_ += {ESC, '@'};
    return *this;
}

Encoder& Encoder::align(Align a) {
    out_ += {ESC, 'a', byte(static_cast<int>(a))};
    return *this;
}

Encoder& Encoder::bold(bool on) {
    out_ += {ESC, 'E', byte(on ? 1 : 0)};
    return *this;
}

Encoder& Encoder::double_size(bool on) {
    out_ += {GS, '!', byte(on ? 0x11 : 0x00)};
    return *this;
}

Encoder& Encoder::line(std::string_view text) {
    for (const char c : text) out_ += (c >= 0x20 && c < 0x7f) ? c : '?';
    out_ += LF;
    return *this;
}

Encoder& Encoder::feed(int lines) {
    out_ += {ESC, 'd', byte(std::clamp(lines, 0, 255))};
    return *this;
}

void Encoder::qr_function(std::uint8_t fn, std::string_view params) {
    // GS ( k pL pH cn fn params: pL + 256 * pH counts cn, fn and the params.
    const auto n = params.size() + 2;
    out_ += {GS,
             '(',
             'k',
             byte(static_cast<int>(n & 0xff)),
             byte(static_cast<int>(n >> 8)),
             '1',
             static_cast<char>(fn)};
    out_ += params;
}

Encoder& Encoder::qr(std::string_view payload, int module, QrLevel level) {
    if (payload.empty() || payload.size() > qr_max_payload)
        throw std::invalid_argument("QR payload must be 1-" + std::to_string(qr_max_payload) +
                                    " bytes, got " + std::to_string(payload.size()));
    qr_function('A', std::string{'2', '\0'});                           // function 165: model 2
    qr_function('C', std::string(1, byte(std::clamp(module, 1, 16))));  // 167: module size
    qr_function('E', std::string(1, static_cast<char>(level)));         // 169: error correction
    qr_function('P', std::string("0") + std::string(payload));          // 180: store the data
    qr_function('Q', "0");                                              // 181: print it
    return *this;
}

Encoder& Encoder::cut() {
    out_ += {GS, 'V', 'B', byte(3)};
    return *this;
}

std::string status_query(StatusKind kind) {
    return {DLE, EOT, byte(static_cast<int>(kind))};
}

bool valid_status_byte(std::uint8_t b) {
    return (b & 0x93) == 0x12;
}

bool apply_status(StatusKind kind, std::uint8_t b, PrinterStatus& status) {
    if (!valid_status_byte(b)) return false;
    switch (kind) {
        case StatusKind::printer:
            status.offline = (b & 0x08) != 0;
            break;
        case StatusKind::paper:
            status.paper_out = (b & 0x60) != 0;
            status.paper_near_end = (b & 0x0c) != 0;
            break;
        case StatusKind::offline_cause:
        case StatusKind::error_cause:
            break;
    }
    return true;
}

}  // namespace cashbridge::peripherals::escpos
