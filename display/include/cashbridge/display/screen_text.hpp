/// @file screen_text.hpp
/// The wording of each screen, shared by every backend so a PNG, a framebuffer and a
/// terminal say the same thing.
#pragma once

#include <string>
#include <vector>

#include "cashbridge/display/display.hpp"

namespace cashbridge::display {

/// How a heading is coloured: the customer should read the state before the words.
enum class Tone { normal, good, warning, bad };

struct ScreenText {
    std::string heading;  ///< large: "Pay 2.00 EUR", "Paid 2.00 EUR – credited"
    Tone tone = Tone::normal;
    std::vector<std::string> details;  ///< medium lines under the heading
    std::string footer;                ///< small: the machine name, may be empty
    bool shows_qr = false;             ///< only the ready screen carries a QR
};

/// Words for `screen`. A ready screen without QR content says "Preparing payment…".
ScreenText describe(const Screen& screen);

}  // namespace cashbridge::display
