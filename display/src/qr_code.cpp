/// @file qr_code.cpp
/// encode_qr on top of Project Nayuki's qrcodegen.
#include "cashbridge/display/qr_code.hpp"

#include <qrcodegen/qrcodegen.hpp>
#include <stdexcept>
#include <string>

namespace cashbridge::display {

QrMatrix encode_qr(std::string_view text) {
    if (text.empty()) throw std::invalid_argument("QR content is empty");
    // Byte mode for everything: payment URLs are mixed case, where alphanumeric mode does not
    // apply anyway, and bytes keep the decoded text identical to what the bridge passed.
    const std::vector<std::uint8_t> bytes(text.begin(), text.end());
    try {
        const auto qr = qrcodegen::QrCode::encodeSegments({qrcodegen::QrSegment::makeBytes(bytes)},
                                                          qrcodegen::QrCode::Ecc::MEDIUM);
        const int n = qr.getSize();
        std::vector<bool> dark(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
        for (int y = 0; y < n; ++y)
            for (int x = 0; x < n; ++x)
                dark[static_cast<std::size_t>(y * n + x)] = qr.getModule(x, y);
        return QrMatrix(n, std::move(dark));
    } catch (const qrcodegen::data_too_long&) {
        throw std::length_error("QR content too long: " + std::to_string(text.size()) +
                                " bytes do not fit in a QR code at error correction M "
                                "(at most 2331 bytes; keep payment URLs short)");
    }
}

}  // namespace cashbridge::display
