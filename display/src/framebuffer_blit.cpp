/// @file framebuffer_blit.cpp
/// Pixel-format checks and the row copy from an off-screen cairo surface into fb memory.
#include <cstring>
#include <stdexcept>
#include <string>

#include "cashbridge/display/framebuffer.hpp"
#include "cashbridge/display/screen_renderer.hpp"

namespace cashbridge::display {
namespace {

bool channels(const fb_var_screeninfo& v, unsigned r_off, unsigned g_off, unsigned b_off,
              unsigned r_len, unsigned g_len, unsigned b_len) {
    return v.red.offset == r_off && v.green.offset == g_off && v.blue.offset == b_off &&
           v.red.length == r_len && v.green.length == g_len && v.blue.length == b_len;
}

std::string describe_layout(const fb_var_screeninfo& v) {
    const auto f = [](const char* n, const fb_bitfield& b) {
        return std::string(n) + std::to_string(b.length) + "@" + std::to_string(b.offset);
    };
    return f("R", v.red) + " " + f("G", v.green) + " " + f("B", v.blue);
}

}  // namespace

cairo_format_t framebuffer_format(const fb_var_screeninfo& var, std::string_view device) {
    // Cairo pixels are native-endian words, exactly what a little-endian fb expects for
    // these two layouts; a BGR or grayscale panel would show wrong colours, so refuse it.
    if (var.grayscale == 0 && var.nonstd == 0) {
        if (var.bits_per_pixel == 16 && channels(var, 11, 5, 0, 5, 6, 5))
            return CAIRO_FORMAT_RGB16_565;
        if (var.bits_per_pixel == 32 && channels(var, 16, 8, 0, 8, 8, 8)) return CAIRO_FORMAT_RGB24;
    }
    throw std::runtime_error(std::string(device) + ": unsupported framebuffer format " +
                             std::to_string(var.bits_per_pixel) + " bpp (" + describe_layout(var) +
                             "); supported: 16 bpp RGB565, 32 bpp XRGB8888");
}

void draw_to_framebuffer(const Screen& screen, const fb_var_screeninfo& var,
                         const fb_fix_screeninfo& fix, std::span<std::byte> mem,
                         std::string_view device) {
    const cairo_format_t format = framebuffer_format(var, device);
    const std::size_t bytes_pp = var.bits_per_pixel / 8;
    const std::size_t width = var.xres, height = var.yres, stride = fix.line_length;
    const std::string dev(device);
    if (width == 0 || height == 0)
        throw std::runtime_error(dev + ": framebuffer reports an empty visible resolution");
    const std::size_t row_bytes = width * bytes_pp;
    const std::size_t first = var.yoffset * stride + var.xoffset * bytes_pp;
    if (stride < (var.xoffset + width) * bytes_pp ||
        first + (height - 1) * stride + row_bytes > mem.size())
        throw std::runtime_error(dev + ": " + std::to_string(width) + "x" + std::to_string(height) +
                                 " at offset " + std::to_string(var.xoffset) + "," +
                                 std::to_string(var.yoffset) + " with line length " +
                                 std::to_string(stride) + " does not fit in " +
                                 std::to_string(mem.size()) + " bytes of framebuffer memory");

    // Off-screen first: drawing straight into the mapping would show the customer every
    // intermediate step (white flash, QR without text) and cairo's stride rules may not
    // match line_length.
    const SurfacePtr surface =
        render_screen(screen, Size{static_cast<int>(width), static_cast<int>(height)}, format);
    const auto* src = cairo_image_surface_get_data(surface.get());
    const auto src_stride = static_cast<std::size_t>(cairo_image_surface_get_stride(surface.get()));
    for (std::size_t y = 0; y < height; ++y)
        std::memcpy(mem.data() + first + y * stride, src + y * src_stride, row_bytes);
}

}  // namespace cashbridge::display
