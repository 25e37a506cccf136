/// @file png_display_test.cpp
/// The PNG backend replaces its file atomically and names the file when it cannot.
#include <gtest/gtest.h>

#include <fstream>

#include "test_support.hpp"

namespace cashbridge::display {
namespace {

std::string read_all(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

TEST(PngDisplay, WritesAPngAndLeavesNoTemporary) {
    test::TempDir dir;
    const auto file = dir.path() / "screen.png";
    auto d = make_png_display(file, {800, 480});
    d->show(test::ready_screen());
    const std::string bytes = read_all(file);
    ASSERT_GT(bytes.size(), 8u);
    EXPECT_EQ(bytes.substr(1, 3), "PNG");
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "screen.png.new"));
    const auto surface = cairo_image_surface_create_from_png(file.c_str());
    EXPECT_EQ(cairo_image_surface_get_width(surface), 800);
    EXPECT_EQ(cairo_image_surface_get_height(surface), 480);
    cairo_surface_destroy(surface);
}

TEST(PngDisplay, ReplacesTheFileByRenameSoReadersKeepAWholeImage) {
    test::TempDir dir;
    const auto file = dir.path() / "screen.png";
    auto d = make_png_display(file, {480, 800});
    d->show(test::ready_screen());
    // A reader holding the old file open still sees the complete old image: the new one is
    // a different inode, not an overwrite in place.
    std::ifstream reader(file, std::ios::binary);
    d->show(test::state_screen(ScreenState::fault, "Machine not ready"));
    const std::string old_bytes{std::istreambuf_iterator<char>(reader), {}};
    EXPECT_NE(old_bytes, read_all(file));
    EXPECT_EQ(old_bytes.substr(old_bytes.size() - 8, 4), "IEND") << "old image was cut short";
}

TEST(PngDisplay, ErrorNamesTheFile) {
    auto d = make_png_display("/nonexistent-dir/screen.png", {800, 480});
    try {
        d->show(test::ready_screen());
        FAIL() << "expected std::system_error";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/screen.png.new"), std::string::npos)
            << e.what();
    }
}

TEST(PngDisplay, RejectsBadSize) {
    EXPECT_THROW(make_png_display("x.png", {0, 10}), std::invalid_argument);
}

TEST(NullDisplay, AcceptsEverything) {
    auto d = make_null_display();
    EXPECT_NO_THROW(d->show(test::ready_screen()));
}

}  // namespace
}  // namespace cashbridge::display
