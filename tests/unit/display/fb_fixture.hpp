/// @file fb_fixture.hpp
/// A framebuffer that is only memory: var/fix screen info plus a buffer, for both formats.
#pragma once

#include <linux/fb.h>

#include <cstddef>
#include <vector>

#include "cashbridge/display/screen_renderer.hpp"

namespace cashbridge::display::test {

struct FakeFb {
    static constexpr std::byte canary{0x5a};

    static fb_var_screeninfo var_for(unsigned bpp, unsigned w, unsigned h) {
        fb_var_screeninfo v{};
        v.xres = v.xres_virtual = w;
        v.yres = v.yres_virtual = h;
        v.bits_per_pixel = bpp;
        if (bpp == 16) {
            v.red = {11, 5, 0};
            v.green = {5, 6, 0};
            v.blue = {0, 5, 0};
        } else {
            v.red = {16, 8, 0};
            v.green = {8, 8, 0};
            v.blue = {0, 8, 0};
        }
        return v;
    }

    /// Visible w x h at (xoffset, yoffset) of a virtual screen, rows padded by pad_bytes as
    /// drivers do for alignment; everything starts as `canary` to catch stray writes.
    FakeFb(unsigned bpp, unsigned w, unsigned h, unsigned pad_bytes = 0, unsigned xoffset = 0,
           unsigned yoffset = 0)
        : var(var_for(bpp, w, h)) {
        var.xoffset = xoffset;
        var.yoffset = yoffset;
        var.xres_virtual = w + xoffset;
        var.yres_virtual = h + yoffset;
        fix.line_length = var.xres_virtual * bpp / 8 + pad_bytes;
        fix.smem_len = fix.line_length * var.yres_virtual;
        fix.type = FB_TYPE_PACKED_PIXELS;
        fix.visual = FB_VISUAL_TRUECOLOR;
        mem.assign(fix.smem_len, canary);
    }

    /// The visible area as a cairo surface in the fb's own format, to write out as PNG.
    SurfacePtr visible_surface() {
        const auto format = var.bits_per_pixel == 16 ? CAIRO_FORMAT_RGB16_565 : CAIRO_FORMAT_RGB24;
        auto* first = reinterpret_cast<unsigned char*>(mem.data()) + var.yoffset * fix.line_length +
                      var.xoffset * var.bits_per_pixel / 8;
        return SurfacePtr(cairo_image_surface_create_for_data(
            first, format, static_cast<int>(var.xres), static_cast<int>(var.yres),
            static_cast<int>(fix.line_length)));
    }

    fb_var_screeninfo var;
    fb_fix_screeninfo fix{};
    std::vector<std::byte> mem;
};

}  // namespace cashbridge::display::test
