/// @file screen_renderer.cpp
/// Layout and drawing of every screen state onto a cairo image surface.
#include "cashbridge/display/screen_renderer.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "cashbridge/display/qr_code.hpp"
#include "cashbridge/display/screen_text.hpp"
#include "text_layout.hpp"

namespace cashbridge::display {
namespace {

using detail::Rgb;
using detail::TextBlock;

struct PlacedText {
    TextBlock block;
    double center_x;
    double top;
    Rgb color;
};

struct Plan {
    Layout geometry;
    std::vector<PlacedText> texts;
    std::optional<Rect> icon;
};

Rgb tone_color(Tone t) {
    switch (t) {
        case Tone::good:
            return {0.0, 0.55, 0.22};
        case Tone::warning:
            return {0.85, 0.45, 0.0};
        case Tone::bad:
            return {0.80, 0.10, 0.10};
        case Tone::normal:
            break;
    }
    return {0.08, 0.08, 0.08};
}
constexpr Rgb detail_color{0.20, 0.20, 0.20};
constexpr Rgb footer_color{0.45, 0.45, 0.45};

// Stacks blocks top-down from `top`, centred on `cx`, with `gap` between non-empty blocks.
double stack(Plan& plan, std::vector<std::pair<TextBlock, Rgb>> blocks, double cx, double top,
             double gap) {
    for (auto& [b, color] : blocks) {
        if (b.lines.empty()) continue;
        plan.geometry.text.push_back({cx - b.width / 2, top, b.width, b.height()});
        const double h = b.height();
        plan.texts.push_back({std::move(b), cx, top, color});
        top += h + gap;
    }
    return top;
}

double blocks_height(const std::vector<TextBlock>& blocks, double gap) {
    double h = 0;
    int n = 0;
    for (const auto& b : blocks)
        if (!b.lines.empty()) h += b.height() + (n++ ? gap : 0);
    return h;
}

// All detail lines as one block in one font size: if one line had to shrink, all do, so
// they do not look like different kinds of message.
TextBlock detail_block(cairo_t* cr, const std::vector<std::string>& lines, double size,
                       double width) {
    for (const auto& l : lines)
        size = std::min(size, detail::wrap_text(cr, l, size, false, width).font_size);
    TextBlock all;
    for (const auto& l : lines) {
        TextBlock b = detail::wrap_text(cr, l, size, false, width);
        all.font_size = b.font_size, all.ascent = b.ascent, all.line_height = b.line_height;
        all.width = std::max(all.width, b.width);
        all.lines.insert(all.lines.end(), b.lines.begin(), b.lines.end());
    }
    return all;
}

// One attempt at text scale `k`; nullopt if it does not fit with `min_px` per module.
std::optional<Plan> try_plan(cairo_t* cr, const ScreenText& text, const QrMatrix* qr, int w, int h,
                             double k, int min_px) {
    const double m = std::max(2.0, std::round(std::min(w, h) * 0.04));
    // Fonts follow the height, but a tall narrow screen must not get lines wider than itself.
    const double u = std::min<double>(h, 1.2 * w) * k;
    const double gap = u * 0.03;
    const bool landscape = qr && w > h;
    Plan plan;

    int qr_px = 0;
    double qr_x = 0, col_x = m, col_w = w - 2 * m;
    if (landscape) {
        const int n = qr->size() + 2 * qr_quiet_zone;
        const double qr_max = std::min(h - 2 * m, std::floor((w - 2 * m) * 0.62));
        plan.geometry.module_px = static_cast<int>(qr_max) / n;
        if (plan.geometry.module_px < min_px) return std::nullopt;
        qr_px = plan.geometry.module_px * n;
        qr_x = m;
        col_x = m + qr_px + m;
        col_w = w - m - col_x;
        if (col_w < 0.15 * w) return std::nullopt;
    }
    const double hs = qr ? 0.085 : 0.10, ds = qr ? 0.05 : 0.055;
    TextBlock heading = detail::wrap_text(cr, text.heading, u * hs, true, col_w, 0.7);
    const TextBlock details = detail_block(cr, text.details, u * ds, col_w);
    TextBlock footer = detail::wrap_text(cr, text.footer, u * 0.035, false, col_w);
    const double footer_h = footer.lines.empty() ? 0 : footer.height() + gap;
    const double avail = h - 2 * m - footer_h;
    const double cx = col_x + col_w / 2;

    if (landscape) {
        const double used = blocks_height({heading, details}, gap);
        if (used > avail) return std::nullopt;
        plan.geometry.qr = Rect{qr_x, std::floor((h - qr_px) / 2.0), double(qr_px), double(qr_px)};
        stack(plan, {{heading, tone_color(text.tone)}, {details, detail_color}}, cx,
              m + (avail - used) / 2, gap);
    } else if (qr) {
        const int n = qr->size() + 2 * qr_quiet_zone;
        const double text_h = blocks_height({heading, details}, gap) + 2 * gap;
        const double qr_max = std::min(w - 2 * m, avail - text_h);
        if (qr_max < n * min_px) return std::nullopt;
        plan.geometry.module_px = static_cast<int>(qr_max) / n;
        qr_px = plan.geometry.module_px * n;
        double top = m + (avail - text_h - qr_px) / 2;
        top = stack(plan, {{heading, tone_color(text.tone)}}, cx, top, gap);
        plan.geometry.qr =
            Rect{std::floor((w - qr_px) / 2.0), std::floor(top), double(qr_px), double(qr_px)};
        stack(plan, {{details, detail_color}}, cx, std::ceil(top) + qr_px + gap, gap);
    } else {
        // Only states with a tone get an icon; "Preparing payment…" is just words.
        const double icon = text.tone == Tone::normal ? 0 : std::round(u * 0.22);
        const double used = (icon > 0 ? icon + gap : 0) + blocks_height({heading, details}, gap);
        if (used > avail || heading.height() <= 0) return std::nullopt;
        const double top = m + (avail - used) / 2;
        if (icon > 0) plan.icon = Rect{cx - icon / 2, top, icon, icon};
        stack(plan, {{heading, tone_color(text.tone)}, {details, detail_color}}, cx,
              top + (icon > 0 ? icon + gap : 0), gap);
    }
    stack(plan, {{footer, footer_color}}, cx, h - m - footer.height(), gap);
    return plan;
}

Plan make_plan(cairo_t* cr, const Screen& screen, const std::optional<QrMatrix>& qr, int w, int h) {
    if (w <= 0 || h <= 0)
        throw std::invalid_argument("screen size " + std::to_string(w) + "x" + std::to_string(h) +
                                    " is not positive");
    const ScreenText text = describe(screen);
    // Prefer a QR with a few pixels per module (scans from further away) over big text.
    for (int min_px : {3, 1})
        for (double k = 1.0; k > 0.3; k *= 0.85)
            if (auto plan = try_plan(cr, text, qr ? &*qr : nullptr, w, h, k, min_px))
                return std::move(*plan);
    throw std::runtime_error(
        "a " + std::to_string(w) + "x" + std::to_string(h) + " screen is too small for this " +
        (qr ? std::to_string(qr->size()) + "-module QR code and its text" : std::string("text")));
}

std::optional<QrMatrix> qr_for(const Screen& screen) {
    if (screen.state != ScreenState::ready || screen.qr_content.empty()) return std::nullopt;
    return encode_qr(screen.qr_content);
}

void draw_qr(cairo_t* cr, const QrMatrix& qr, const Rect& where, int px) {
    // Hard edges: anti-aliased module borders become grey pixels that confuse decoders.
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    const double x0 = where.x + qr_quiet_zone * px, y0 = where.y + qr_quiet_zone * px;
    for (int y = 0; y < qr.size(); ++y)
        for (int x = 0; x < qr.size(); ++x)
            if (qr.dark(x, y)) cairo_rectangle(cr, x0 + x * px, y0 + y * px, px, px);
    cairo_fill(cr);
    cairo_restore(cr);
}

// A coloured disc with a white check, exclamation mark or cross: the state at a glance.
void draw_icon(cairo_t* cr, const Rect& r, Tone tone) {
    const Rgb c = tone_color(tone);
    const double cx = r.x + r.width / 2, cy = r.y + r.height / 2, s = r.width / 2;
    cairo_save(cr);
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_arc(cr, cx, cy, s, 0, 2 * M_PI);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, s * 0.18);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    if (tone == Tone::good) {
        cairo_move_to(cr, cx - s * 0.45, cy + s * 0.02);
        cairo_line_to(cr, cx - s * 0.12, cy + s * 0.35);
        cairo_line_to(cr, cx + s * 0.48, cy - s * 0.3);
    } else if (tone == Tone::warning) {
        cairo_move_to(cr, cx, cy - s * 0.5);
        cairo_line_to(cr, cx, cy + s * 0.12);
        cairo_move_to(cr, cx, cy + s * 0.45);
        cairo_close_path(cr);
    } else {
        cairo_move_to(cr, cx - s * 0.35, cy - s * 0.35);
        cairo_line_to(cr, cx + s * 0.35, cy + s * 0.35);
        cairo_move_to(cr, cx + s * 0.35, cy - s * 0.35);
        cairo_line_to(cr, cx - s * 0.35, cy + s * 0.35);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

}  // namespace

Layout layout_screen(const Screen& screen, Size size) {
    // Toy-font metrics do not depend on the image surface, so a 1x1 scratch one measures.
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1));
    CairoPtr cr(cairo_create(scratch.get()));
    return make_plan(cr.get(), screen, qr_for(screen), size.width, size.height).geometry;
}

void render_screen(const Screen& screen, cairo_surface_t* target) {
    const int w = cairo_image_surface_get_width(target);
    const int h = cairo_image_surface_get_height(target);
    CairoPtr cr(cairo_create(target));
    const auto qr = qr_for(screen);
    const Plan plan = make_plan(cr.get(), screen, qr, w, h);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    if (qr && plan.geometry.qr) draw_qr(cr.get(), *qr, *plan.geometry.qr, plan.geometry.module_px);
    if (plan.icon) draw_icon(cr.get(), *plan.icon, describe(screen).tone);
    for (const auto& t : plan.texts)
        detail::draw_text_block(cr.get(), t.block, t.center_x, t.top, t.color);
    if (const auto st = cairo_status(cr.get()); st != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("drawing the screen failed: ") +
                                 cairo_status_to_string(st));
    cairo_surface_flush(target);
}

SurfacePtr render_screen(const Screen& screen, Size size, cairo_format_t format) {
    if (size.width <= 0 || size.height <= 0)
        throw std::invalid_argument("screen size " + std::to_string(size.width) + "x" +
                                    std::to_string(size.height) + " is not positive");
    SurfacePtr surface(cairo_image_surface_create(format, size.width, size.height));
    if (const auto st = cairo_surface_status(surface.get()); st != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("cannot create a ") + std::to_string(size.width) +
                                 "x" + std::to_string(size.height) +
                                 " image: " + cairo_status_to_string(st));
    render_screen(screen, surface.get());
    return surface;
}

}  // namespace cashbridge::display
