/// @file test_support.cpp
/// Scratch directories and the zbarimg subprocess for the display tests.
#include "test_support.hpp"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace cashbridge::display::test {

Screen ready_screen(std::int64_t amount) {
    Screen s;
    s.state = ScreenState::ready;
    s.qr_content = payment_url;
    s.amount_minor = amount;
    s.currency = "EUR";
    s.machine_name = "Vending 42 – Hall B";
    return s;
}

Screen state_screen(ScreenState state, std::string reason) {
    Screen s;
    s.state = state;
    s.reason = std::move(reason);
    s.machine_name = "Vending 42 – Hall B";
    return s;
}

TempDir::TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "display-test-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

void write_png(cairo_surface_t* surface, const std::filesystem::path& file) {
    const auto st = cairo_surface_write_to_png(surface, file.c_str());
    if (st != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error("writing " + file.string() + ": " + cairo_status_to_string(st));
}

std::string zbarimg_missing() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((dir + "/zbarimg").c_str(), X_OK) == 0) return {};
    return "zbarimg not found on PATH: these tests decode the rendered QR with the real "
           "decoder; install it with `apt-get install zbar-tools`";
}

ZbarResult zbarimg(const std::filesystem::path& file) {
    std::array<int, 2> pipe_fds{};
    if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        const std::string f = file.string();
        ::execlp("zbarimg", "zbarimg", "--raw", "-q", f.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    std::string out;
    std::array<char, 4096> buf{};
    for (ssize_t n; (n = ::read(pipe_fds[0], buf.data(), buf.size())) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!out.empty() && out.back() == '\n') out.pop_back();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace cashbridge::display::test

namespace {
// Cairo and fontconfig keep process-wide font caches on purpose; releasing them at exit lets
// LeakSanitizer (SANITIZE=ON in CI) report only leaks of ours.
class ReleaseFontCaches : public ::testing::Environment {
  public:
    void TearDown() override {
        cairo_debug_reset_static_data();
        FcFini();
    }
};
const auto* const release_font_caches =
    ::testing::AddGlobalTestEnvironment(new ReleaseFontCaches);  // gtest takes ownership
}  // namespace
