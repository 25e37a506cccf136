/// @file text_layout.hpp
/// Word-wrapped text blocks with cairo's toy font API, measured before they are drawn.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

namespace cashbridge::display::detail {

struct Rgb {
    double r, g, b;
};

/// Lines of one font size, as they will be drawn.
struct TextBlock {
    std::vector<std::string> lines;
    double font_size = 0;
    bool bold = false;
    double ascent = 0;
    double line_height = 0;
    double width = 0;  ///< widest line's ink width
    double height() const { return line_height * static_cast<double>(lines.size()); }
};

/// Wraps `text` at spaces to `max_width`, shrinking the font when one word alone is wider.
/// If the text fits on one line at `keep_one_line` times `font_size` or more, it is shrunk
/// to one line instead: "Pay 2.00 / EUR" split across lines reads worse than smaller text.
/// Empty text gives an empty block (height 0).
TextBlock wrap_text(cairo_t* cr, const std::string& text, double font_size, bool bold,
                    double max_width, double keep_one_line = 1.0);

/// Draws `block` with its top at `top`, each line centred on `center_x`.
void draw_text_block(cairo_t* cr, const TextBlock& block, double center_x, double top, Rgb color);

}  // namespace cashbridge::display::detail
