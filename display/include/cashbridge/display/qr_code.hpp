/// @file qr_code.hpp
/// Text to QR module matrix: the one place that knows about qrcodegen.
#pragma once

#include <string_view>
#include <vector>

namespace cashbridge::display {

/// Light modules every renderer must keep around the symbol (ISO/IEC 18004 asks for 4).
inline constexpr int qr_quiet_zone = 4;

/// A square grid of dark/light modules, without the quiet zone.
class QrMatrix {
  public:
    QrMatrix(int size, std::vector<bool> dark) : size_(size), dark_(std::move(dark)) {}
    /// Modules per side (21..177).
    int size() const { return size_; }
    /// True if module (x, y) is dark; coordinates outside the symbol are light, which makes
    /// the quiet zone free for callers that iterate over it.
    bool dark(int x, int y) const {
        if (x < 0 || y < 0 || x >= size_ || y >= size_) return false;
        return dark_[static_cast<std::size_t>(y) * static_cast<std::size_t>(size_) +
                     static_cast<std::size_t>(x)];
    }

  private:
    int size_;
    std::vector<bool> dark_;
};

/// Encodes `text` (UTF-8, as bytes) at error-correction level M or higher when that costs
/// no extra size. Throws std::length_error saying how long the text is when it does not fit
/// in any QR version, and std::invalid_argument for empty text.
QrMatrix encode_qr(std::string_view text);

}  // namespace cashbridge::display
