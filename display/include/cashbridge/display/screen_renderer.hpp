/// @file screen_renderer.hpp
/// Screen + size -> pixels: the layout every pixel backend shares, as pure functions so tests
/// can look at the result without a device.
#pragma once

#include <cairo.h>

#include <memory>
#include <optional>
#include <vector>

#include "cashbridge/display/display.hpp"

namespace cashbridge::display {

struct CairoSurfaceDeleter {
    void operator()(cairo_surface_t* s) const noexcept { cairo_surface_destroy(s); }
};
struct CairoDeleter {
    void operator()(cairo_t* cr) const noexcept { cairo_destroy(cr); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDeleter>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDeleter>;

struct Rect {
    double x = 0, y = 0, width = 0, height = 0;
    bool intersects(const Rect& o) const {
        return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }
};

/// Where things go on a screen of a given size; exposed so tests can check geometry.
struct Layout {
    std::optional<Rect> qr;  ///< the QR including its quiet zone, on whole pixels
    int module_px = 0;       ///< pixels per QR module (0 without QR)
    std::vector<Rect> text;  ///< one box per text block (heading, details, footer)
};

/// Computes the layout of `screen` on `size`. Throws std::invalid_argument for a bad size or
/// screen, std::runtime_error when the QR cannot get at least one pixel per module.
Layout layout_screen(const Screen& screen, Size size);

/// Draws `screen` onto an image surface of any size and format, covering all of it.
void render_screen(const Screen& screen, cairo_surface_t* target);

/// A new image surface of `size` in `format` with `screen` drawn on it.
SurfacePtr render_screen(const Screen& screen, Size size,
                         cairo_format_t format = CAIRO_FORMAT_RGB24);

}  // namespace cashbridge::display
