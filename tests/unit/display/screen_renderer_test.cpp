/// @file screen_renderer_test.cpp
/// Layout geometry on many screen sizes and the pixels of each rendered state.
#include "cashbridge/display/screen_renderer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "cashbridge/display/qr_code.hpp"
#include "test_support.hpp"

namespace cashbridge::display {
namespace {

std::uint32_t pixel(cairo_surface_t* s, int x, int y) {
    const auto* row = cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
    std::uint32_t p;
    std::memcpy(&p, row + x * 4, 4);
    return p & 0xffffff;
}

// Counts pixels whose colour is close to (r, g, b) in 0..255.
int count_near(cairo_surface_t* s, int r, int g, int b) {
    int n = 0;
    for (int y = 0; y < cairo_image_surface_get_height(s); ++y)
        for (int x = 0; x < cairo_image_surface_get_width(s); ++x) {
            const auto p = pixel(s, x, y);
            const int pr = (p >> 16) & 0xff, pg = (p >> 8) & 0xff, pb = p & 0xff;
            n += std::abs(pr - r) < 30 && std::abs(pg - g) < 30 && std::abs(pb - b) < 30;
        }
    return n;
}

class LayoutOnSize : public ::testing::TestWithParam<Size> {};

TEST_P(LayoutOnSize, ReadyQrIsInsideAndNeverUnderText) {
    const Size size = GetParam();
    for (auto amount : {std::optional<std::int64_t>(200), std::optional<std::int64_t>()}) {
        auto screen = test::ready_screen();
        screen.amount_minor = amount;
        const Layout l = layout_screen(screen, size);
        ASSERT_TRUE(l.qr);
        EXPECT_GE(l.module_px, 1);
        const Rect bounds{0, 0, double(size.width), double(size.height)};
        EXPECT_GE(l.qr->x, 0);
        EXPECT_GE(l.qr->y, 0);
        EXPECT_LE(l.qr->x + l.qr->width, size.width);
        EXPECT_LE(l.qr->y + l.qr->height, size.height);
        EXPECT_EQ(l.qr->width, l.module_px * (37 + 2 * qr_quiet_zone));
        EXPECT_EQ(l.qr->x, std::floor(l.qr->x)) << "QR must sit on whole pixels";
        EXPECT_EQ(l.qr->y, std::floor(l.qr->y));
        ASSERT_EQ(l.text.size(), 3u);  // heading, instructions, machine name
        for (std::size_t i = 0; i < l.text.size(); ++i) {
            const Rect& t = l.text[i];
            EXPECT_FALSE(t.intersects(*l.qr)) << "text box " << i << " overlaps the QR";
            EXPECT_GE(t.x, 0);
            EXPECT_GE(t.y, 0);
            EXPECT_LE(t.x + t.width, bounds.width + 0.5);
            EXPECT_LE(t.y + t.height, bounds.height + 0.5);
            for (std::size_t j = i + 1; j < l.text.size(); ++j)
                EXPECT_FALSE(t.intersects(l.text[j])) << "text boxes " << i << " and " << j;
        }
    }
}

TEST_P(LayoutOnSize, StateScreensHaveNoQrAndFit) {
    const Size size = GetParam();
    auto paid = test::ready_screen();
    paid.state = ScreenState::paid;
    for (const auto& screen :
         {paid, test::state_screen(ScreenState::unavailable, "Payment network offline"),
          test::state_screen(ScreenState::fault, "Machine not ready")}) {
        const Layout l = layout_screen(screen, size);
        EXPECT_FALSE(l.qr);
        EXPECT_GE(l.text.size(), 3u);
        for (const auto& t : l.text) {
            EXPECT_GE(t.y, 0);
            EXPECT_LE(t.y + t.height, size.height + 0.5);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, LayoutOnSize,
                         ::testing::Values(Size{800, 480}, Size{480, 800}, Size{320, 240},
                                           Size{240, 320}, Size{1920, 1080}, Size{1080, 1920},
                                           Size{640, 480}, Size{480, 480}, Size{160, 128}),
                         [](const auto& info) {
                             return std::to_string(info.param.width) + "x" +
                                    std::to_string(info.param.height);
                         });

TEST(RenderScreen, QrModulesAreCrispAndMatchTheMatrix) {
    const auto screen = test::ready_screen();
    const Size size{800, 480};
    const Layout l = layout_screen(screen, size);
    const auto surface = render_screen(screen, size);
    const auto qr = encode_qr(screen.qr_content);
    const int px = l.module_px;
    const int x0 = static_cast<int>(l.qr->x), y0 = static_cast<int>(l.qr->y);
    const int n = qr.size() + 2 * qr_quiet_zone;
    for (int y = 0; y < n * px; ++y)
        for (int x = 0; x < n * px; ++x) {
            const bool dark = qr.dark(x / px - qr_quiet_zone, y / px - qr_quiet_zone);
            ASSERT_EQ(pixel(surface.get(), x0 + x, y0 + y), dark ? 0x000000u : 0xffffffu)
                << "pixel " << x << "," << y << " of the QR (no grey, quiet zone white)";
        }
}

TEST(RenderScreen, PaidIsGreen) {
    auto screen = test::ready_screen();
    screen.state = ScreenState::paid;
    const auto s = render_screen(screen, {800, 480});
    EXPECT_GT(count_near(s.get(), 0, 140, 56), 800 * 480 / 50);
}

TEST(RenderScreen, FaultIsRedAndUnavailableAmber) {
    const auto fault = render_screen(test::state_screen(ScreenState::fault, "x"), {800, 480});
    EXPECT_GT(count_near(fault.get(), 204, 26, 26), 800 * 480 / 50);
    const auto unav = render_screen(test::state_screen(ScreenState::unavailable), {800, 480});
    EXPECT_GT(count_near(unav.get(), 217, 115, 0), 800 * 480 / 50);
}

TEST(RenderScreen, BackgroundIsWhite) {
    const auto s = render_screen(test::ready_screen(), {480, 800});
    EXPECT_EQ(pixel(s.get(), 0, 0), 0xffffffu);
    EXPECT_EQ(pixel(s.get(), 479, 799), 0xffffffu);
}

TEST(RenderScreen, TooSmallScreenSaysSo) {
    EXPECT_THROW(render_screen(test::ready_screen(), {30, 30}), std::runtime_error);
    EXPECT_THROW(render_screen(test::ready_screen(), {0, 480}), std::invalid_argument);
}

TEST(RenderScreen, TooLongContentSaysSo) {
    auto screen = test::ready_screen();
    screen.qr_content.assign(4000, 'a');
    EXPECT_THROW(render_screen(screen, {800, 480}), std::length_error);
}

TEST(RenderScreen, LongMachineNameShrinksInsteadOfOverflowing) {
    auto screen = test::ready_screen();
    screen.machine_name = "Carwash-Station-Nordstadt-Portal-Bay-Number-Seven-West";
    const auto l = layout_screen(screen, {480, 800});
    ASSERT_EQ(l.text.size(), 3u);
    EXPECT_LE(l.text[2].x + l.text[2].width, 480);
    EXPECT_GE(l.text[2].x, 0);
}

}  // namespace
}  // namespace cashbridge::display
