/// @file display.hpp
/// What the bridge asks a screen to show, and the backends that show it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::display {

enum class ScreenState { ready, paid, unavailable, fault };

/// What the bridge wants shown; the display owns wording and layout.
struct Screen {
    ScreenState state = ScreenState::ready;
    std::string qr_content;  ///< empty: no QR (unavailable/fault)
    /// ready: price in minor units, nullopt = open amount ("Choose amount in the app");
    /// paid: amount credited.
    std::optional<std::int64_t> amount_minor;
    /// paid: what is still due in coins after a partial payment (nullopt or 0: nothing).
    std::optional<std::int64_t> remaining_minor;
    std::string currency;       ///< ISO 4217, e.g. "EUR"
    int currency_exponent = 2;  ///< minor-unit digits (JPY 0)
    std::string machine_name;   ///< shown small at the bottom
    /// unavailable/fault: short human reason ("Payment network offline", "Machine not ready");
    /// ready: a notice under the QR, e.g. why a scanned code was not accepted.
    std::string reason;

    bool operator==(const Screen&) const = default;
};

/// "2.00 EUR", "500 JPY", "-0.05 EUR". Throws std::invalid_argument for an exponent outside
/// 0..9 (ISO 4217 uses 0..4; anything else is a config error worth catching).
std::string format_amount(std::int64_t minor, std::string_view currency, int exponent);

class Display {
  public:
    virtual ~Display() = default;
    /// Shows `screen`. Throws std::system_error / std::runtime_error naming the device or
    /// file on failure.
    virtual void show(const Screen& screen) = 0;
};

struct Size {
    int width;
    int height;
    bool operator==(const Size&) const = default;
};

/// Renders to a PNG file, replaced atomically on each show (tests and the simulator).
/// Throws std::invalid_argument for a non-positive size.
std::unique_ptr<Display> make_png_display(std::filesystem::path file, Size size);

/// Draws on a Linux framebuffer device such as /dev/fb0 (16 bpp RGB565 or 32 bpp XRGB8888).
/// Opens and maps the device at once, so a missing or unsupported device fails here.
std::unique_ptr<Display> make_framebuffer_display(std::filesystem::path device);

/// Draws the QR with Unicode half blocks on a terminal (e.g. STDOUT_FILENO or a tty).
/// Does not take ownership of `fd`.
std::unique_ptr<Display> make_terminal_display(int fd);

/// Shows nothing; for `display.backend: none` (headless machines, tests of the bridge).
std::unique_ptr<Display> make_null_display();

}  // namespace cashbridge::display
