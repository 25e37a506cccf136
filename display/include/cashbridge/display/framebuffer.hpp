/// @file framebuffer.hpp
/// The device-free half of the framebuffer backend: screen info + memory in, pixels out.
/// Split from the device so both pixel formats can be tested on a plain buffer.
#pragma once

#include <cairo.h>
#include <linux/fb.h>

#include <cstddef>
#include <span>
#include <string_view>

#include "cashbridge/display/display.hpp"

namespace cashbridge::display {

/// The cairo format matching `var`: 16 bpp RGB565 -> CAIRO_FORMAT_RGB16_565, 32 bpp
/// XRGB8888 -> CAIRO_FORMAT_RGB24. Anything else throws std::runtime_error naming `device`
/// and the bpp and channel layout.
cairo_format_t framebuffer_format(const fb_var_screeninfo& var, std::string_view device);

/// Renders `screen` at the visible resolution of `var` and copies it into `mem` (the mapped
/// framebuffer that `fix` describes), row by row at fix.line_length, at the panning offset
/// (xoffset, yoffset). Throws std::runtime_error naming `device` if the format is unsupported
/// or `mem` is too small for what var/fix describe.
void draw_to_framebuffer(const Screen& screen, const fb_var_screeninfo& var,
                         const fb_fix_screeninfo& fix, std::span<std::byte> mem,
                         std::string_view device);

}  // namespace cashbridge::display
