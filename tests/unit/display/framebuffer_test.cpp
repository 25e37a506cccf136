/// @file framebuffer_test.cpp
/// The device-free framebuffer path on plain buffers: formats, stride, panning and bounds.
#include "cashbridge/display/framebuffer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "fb_fixture.hpp"
#include "test_support.hpp"

namespace cashbridge::display {
namespace {

using test::FakeFb;

TEST(FramebufferFormat, KnowsRgb565AndXrgb8888) {
    EXPECT_EQ(framebuffer_format(FakeFb::var_for(16, 10, 10), "/dev/fb9"), CAIRO_FORMAT_RGB16_565);
    EXPECT_EQ(framebuffer_format(FakeFb::var_for(32, 10, 10), "/dev/fb9"), CAIRO_FORMAT_RGB24);
}

TEST(FramebufferFormat, OtherFormatsNameDeviceAndBpp) {
    auto var = FakeFb::var_for(24, 10, 10);
    try {
        framebuffer_format(var, "/dev/fb9");
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("/dev/fb9"), std::string::npos) << what;
        EXPECT_NE(what.find("24 bpp"), std::string::npos) << what;
    }
    var = FakeFb::var_for(32, 10, 10);
    std::swap(var.red.offset, var.blue.offset);  // BGR: colours would be wrong, so refuse
    EXPECT_THROW(framebuffer_format(var, "/dev/fb9"), std::runtime_error);
}

TEST(Framebuffer, HonoursStrideAndPanningAndLeavesTheRestAlone) {
    for (unsigned bpp : {16u, 32u}) {
        FakeFb fb(bpp, 320, 240, /*pad_bytes=*/64, /*xoffset=*/8, /*yoffset=*/16);
        draw_to_framebuffer(test::ready_screen(), fb.var, fb.fix, fb.mem, "/dev/fb9");
        const std::size_t bytes_pp = bpp / 8;
        for (std::size_t y = 0; y < fb.mem.size() / fb.fix.line_length; ++y)
            for (std::size_t x = 0; x < fb.fix.line_length; ++x) {
                const bool visible =
                    y >= 16 && y < 16 + 240 && x >= 8 * bytes_pp && x < (8 + 320) * bytes_pp;
                if (visible) continue;
                ASSERT_EQ(fb.mem[y * fb.fix.line_length + x], FakeFb::canary)
                    << bpp << " bpp wrote outside the visible area at row " << y << " byte " << x;
            }
        // Top-left visible pixel is background white.
        const auto* p = fb.mem.data() + 16 * fb.fix.line_length + 8 * bytes_pp;
        for (std::size_t i = 0; i < (bpp == 16 ? 2u : 3u); ++i) EXPECT_EQ(p[i], std::byte{0xff});
    }
}

TEST(Framebuffer, TooSmallMemoryNamesTheDevice) {
    FakeFb fb(32, 320, 240);
    std::span<std::byte> short_mem(fb.mem.data(), fb.mem.size() - 1);
    try {
        draw_to_framebuffer(test::ready_screen(), fb.var, fb.fix, short_mem, "/dev/fb9");
        FAIL() << "expected std::runtime_error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/dev/fb9"), std::string::npos) << e.what();
    }
}

TEST(FramebufferDevice, MissingDeviceNamesIt) {
    try {
        make_framebuffer_display("/dev/fb-does-not-exist");
        FAIL() << "expected std::system_error";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("/dev/fb-does-not-exist"), std::string::npos);
    }
}

TEST(FramebufferDevice, NonFramebufferFileIsRefusedByTheIoctl) {
    EXPECT_THROW(make_framebuffer_display("/dev/null"), std::system_error);
}

}  // namespace
}  // namespace cashbridge::display
