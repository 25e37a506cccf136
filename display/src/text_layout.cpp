/// @file text_layout.cpp
/// Greedy word wrap and centred drawing for DejaVu Sans through cairo's toy text API.
#include "text_layout.hpp"

#include <algorithm>
#include <sstream>

namespace cashbridge::display::detail {
namespace {

void select_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// Ink and advance can differ; the larger keeps glyphs inside the box we promised.
double line_width(cairo_t* cr, const std::string& line) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, line.c_str(), &e);
    return std::max(e.x_advance, e.x_bearing + e.width);
}

std::vector<std::string> split_words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

TextBlock wrap_at(cairo_t* cr, const std::vector<std::string>& words, double font_size, bool bold,
                  double max_width) {
    select_font(cr, font_size, bold);
    TextBlock b;
    b.font_size = font_size;
    b.bold = bold;
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    b.ascent = fe.ascent;
    b.line_height = std::max(fe.ascent + fe.descent, font_size * 1.2);
    std::string line;
    for (const auto& w : words) {
        const std::string candidate = line.empty() ? w : line + ' ' + w;
        if (!line.empty() && line_width(cr, candidate) > max_width) {
            b.lines.push_back(line);
            line = w;
        } else {
            line = candidate;
        }
    }
    if (!line.empty()) b.lines.push_back(line);
    for (const auto& l : b.lines) b.width = std::max(b.width, line_width(cr, l));
    return b;
}

}  // namespace

TextBlock wrap_text(cairo_t* cr, const std::string& text, double font_size, bool bold,
                    double max_width, double keep_one_line) {
    const auto words = split_words(text);
    TextBlock b = wrap_at(cr, words, font_size, bold, max_width);
    if (b.lines.size() > 1) {
        select_font(cr, font_size, bold);
        const double one_line = line_width(cr, text);
        if (one_line * keep_one_line <= max_width)
            b = wrap_at(cr, words, font_size * max_width / one_line * 0.98, bold, max_width);
    }
    // A word that alone is too wide (a long machine name) gets a smaller font rather than
    // being clipped; a few rounds converge because width is nearly linear in size.
    for (int round = 0; round < 4 && b.width > max_width && b.font_size > 4; ++round)
        b = wrap_at(cr, words, b.font_size * max_width / b.width * 0.98, bold, max_width);
    return b;
}

void draw_text_block(cairo_t* cr, const TextBlock& block, double center_x, double top, Rgb color) {
    select_font(cr, block.font_size, block.bold);
    cairo_set_source_rgb(cr, color.r, color.g, color.b);
    double baseline = top + block.ascent;
    for (const auto& line : block.lines) {
        cairo_text_extents_t e;
        cairo_text_extents(cr, line.c_str(), &e);
        const double w = std::max(e.x_advance, e.x_bearing + e.width);
        cairo_move_to(cr, center_x - w / 2, baseline);
        cairo_show_text(cr, line.c_str());
        baseline += block.line_height;
    }
}

}  // namespace cashbridge::display::detail
