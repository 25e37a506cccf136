/// @file zbar_decode_test.cpp
/// The key property: what we draw scans. Every pixel path is decoded by the real zbarimg.
#include <gtest/gtest.h>

#include "cashbridge/display/framebuffer.hpp"
#include "fb_fixture.hpp"
#include "test_support.hpp"

namespace cashbridge::display {
namespace {

class ZbarDecode : public ::testing::Test {
  protected:
    void SetUp() override {
        const std::string missing = test::zbarimg_missing();
        ASSERT_TRUE(missing.empty()) << missing;
    }
    test::TempDir dir;
};

class PngScans : public ZbarDecode, public ::testing::WithParamInterface<Size> {};

TEST_P(PngScans, ReadyScreenDecodesToTheUrl) {
    const auto file = dir.path() / "screen.png";
    make_png_display(file, GetParam())->show(test::ready_screen());
    const auto r = test::zbarimg(file);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.output, test::payment_url);
}

INSTANTIATE_TEST_SUITE_P(Sizes, PngScans,
                         ::testing::Values(Size{800, 480}, Size{480, 800}, Size{320, 240},
                                           Size{1920, 1080}),
                         [](const auto& info) {
                             return std::to_string(info.param.width) + "x" +
                                    std::to_string(info.param.height);
                         });

TEST_F(ZbarDecode, OpenAmountScreenDecodes) {
    auto screen = test::ready_screen();
    screen.amount_minor.reset();
    const auto file = dir.path() / "open.png";
    make_png_display(file, {800, 480})->show(screen);
    EXPECT_EQ(test::zbarimg(file).output, test::payment_url);
}

class FramebufferScans : public ZbarDecode, public ::testing::WithParamInterface<unsigned> {};

TEST_P(FramebufferScans, ReadyScreenDecodesFromFramebufferMemory) {
    // Padded rows and a panning offset, so a wrong stride or origin would shear the QR.
    test::FakeFb fb(GetParam(), 800, 480, /*pad_bytes=*/128, /*xoffset=*/16, /*yoffset=*/480);
    draw_to_framebuffer(test::ready_screen(), fb.var, fb.fix, fb.mem, "/dev/fb-test");
    const auto file = dir.path() / "fb.png";
    test::write_png(fb.visible_surface().get(), file);
    const auto r = test::zbarimg(file);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.output, test::payment_url);
}

INSTANTIATE_TEST_SUITE_P(Formats, FramebufferScans, ::testing::Values(16u, 32u),
                         [](const auto& info) {
                             return info.param == 16 ? std::string("RGB565")
                                                     : std::string("XRGB8888");
                         });

TEST_F(ZbarDecode, StateScreensCarryNoQr) {
    auto paid = test::ready_screen();
    paid.state = ScreenState::paid;  // qr_content still set: must not be drawn
    auto unavailable = test::state_screen(ScreenState::unavailable, "Payment network offline");
    unavailable.qr_content = test::payment_url;
    auto preparing = test::ready_screen();
    preparing.qr_content.clear();
    for (const auto& screen : {paid, unavailable, preparing,
                               test::state_screen(ScreenState::fault, "Machine not ready")}) {
        const auto file = dir.path() / "state.png";
        make_png_display(file, {800, 480})->show(screen);
        const auto r = test::zbarimg(file);
        EXPECT_EQ(r.exit_code, 4) << "zbarimg found: " << r.output;
        EXPECT_EQ(r.output, "");
    }
}

}  // namespace
}  // namespace cashbridge::display
