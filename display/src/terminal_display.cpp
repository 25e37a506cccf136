/// @file terminal_display.cpp
/// The terminal backend: the QR as Unicode half blocks in explicit black on white, so it
/// scans from light and dark terminal themes alike, with the screen's words under it.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "cashbridge/display/display.hpp"
#include "cashbridge/display/qr_code.hpp"
#include "cashbridge/display/screen_text.hpp"
#include "unique_fd.hpp"

namespace cashbridge::display {
namespace {

constexpr const char* clear_screen = "\x1b[H\x1b[2J\x1b[3J";
constexpr const char* black_on_white = "\x1b[30;107m";
constexpr const char* reset = "\x1b[0m";

const char* tone_sgr(Tone t) {
    switch (t) {
        case Tone::good:
            return "\x1b[1;32m";
        case Tone::warning:
            return "\x1b[1;33m";
        case Tone::bad:
            return "\x1b[1;31m";
        case Tone::normal:
            break;
    }
    return "\x1b[1m";
}

// Two modules per character cell: the foreground colour (black) paints the upper half with
// ▀, the lower with ▄, both with █; the white background shows through a space.
std::string qr_rows(const QrMatrix& qr) {
    std::string out;
    const int lo = -qr_quiet_zone, hi = qr.size() + qr_quiet_zone;
    for (int y = lo; y < hi; y += 2) {
        out += black_on_white;
        for (int x = lo; x < hi; ++x) {
            const bool top = qr.dark(x, y), bottom = y + 1 < hi && qr.dark(x, y + 1);
            out += top ? (bottom ? "█" : "▀") : (bottom ? "▄" : " ");
        }
        out += reset;
        out += '\n';
    }
    return out;
}

std::string compose(const Screen& screen) {
    const ScreenText text = describe(screen);
    std::string out = clear_screen;
    if (text.shows_qr) out += qr_rows(encode_qr(screen.qr_content)) + '\n';
    out += std::string(tone_sgr(text.tone)) + text.heading + reset + '\n';
    for (const auto& d : text.details) out += d + '\n';
    if (!text.footer.empty()) out += "\x1b[2m" + text.footer + reset + '\n';
    return out;
}

class TerminalDisplay final : public Display {
  public:
    explicit TerminalDisplay(int fd) : fd_(fd) {}

    void show(const Screen& screen) override {
        const std::string out = compose(screen);
        const char* p = out.data();
        std::size_t left = out.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, p, left);
            if (n >= 0) {
                p += n;
                left -= static_cast<std::size_t>(n);
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                // A non-blocking tty or pipe: wait for room instead of dropping half a QR.
                pollfd pfd{fd_, POLLOUT, 0};
                if (::poll(&pfd, 1, -1) < 0 && errno != EINTR)
                    detail::throw_errno("poll on terminal fd " + std::to_string(fd_));
            } else if (errno != EINTR) {
                detail::throw_errno("cannot write to terminal fd " + std::to_string(fd_));
            }
        }
    }

  private:
    int fd_;
};

}  // namespace

std::unique_ptr<Display> make_terminal_display(int fd) {
    if (fd < 0) throw std::invalid_argument("terminal display: invalid fd " + std::to_string(fd));
    return std::make_unique<TerminalDisplay>(fd);
}

}  // namespace cashbridge::display
