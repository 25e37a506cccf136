/// @file test_support.hpp
/// Shared helpers for the display tests: scratch directories, PNG output and zbarimg.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include "cashbridge/display/display.hpp"
#include "cashbridge/display/screen_renderer.hpp"

namespace cashbridge::display {

/// Readable parameterised test names ("800x480" rather than a byte dump).
inline void PrintTo(const Size& s, std::ostream* os) {
    *os << s.width << "x" << s.height;
}

namespace test {

/// A realistic payment URL, as long as the bridge's will be.
inline constexpr const char* payment_url =
    "https://pay.example.com/p?m=vend-0042&s=4f3c2a1b9d8e7f60&a=200&c=EUR";

Screen ready_screen(std::int64_t amount = 200);
Screen state_screen(ScreenState state, std::string reason = {});

/// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// Writes any image surface as PNG (cairo converts RGB565 on the way).
void write_png(cairo_surface_t* surface, const std::filesystem::path& file);

struct ZbarResult {
    int exit_code;       ///< 0 decoded, 4 no symbol found
    std::string output;  ///< stdout, trailing newline removed
};

/// Empty if zbarimg is on PATH, otherwise a message saying how to get it.
std::string zbarimg_missing();

/// Runs `zbarimg --raw -q file` and returns what it printed.
ZbarResult zbarimg(const std::filesystem::path& file);

}  // namespace test
}  // namespace cashbridge::display
