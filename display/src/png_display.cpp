/// @file png_display.cpp
/// The PNG backend: each show replaces the file atomically, so a viewer or test never reads
/// half an image.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

#include "cashbridge/display/display.hpp"
#include "cashbridge/display/screen_renderer.hpp"
#include "unique_fd.hpp"

namespace cashbridge::display {
namespace {

struct PngSink {
    int fd;
    int error = 0;
};

cairo_status_t write_all(void* closure, const unsigned char* data, unsigned int length) {
    auto* sink = static_cast<PngSink*>(closure);
    while (length > 0) {
        const ssize_t n = ::write(sink->fd, data, length);
        if (n < 0) {
            if (errno == EINTR) continue;
            sink->error = errno;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        data += n;
        length -= static_cast<unsigned int>(n);
    }
    return CAIRO_STATUS_SUCCESS;
}

// Removes the temporary file unless the rename made it the real one.
class TempFile {
  public:
    explicit TempFile(std::filesystem::path p) : path_(std::move(p)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (!committed_) ::unlink(path_.c_str());
    }
    const std::filesystem::path& path() const { return path_; }
    void commit() { committed_ = true; }

  private:
    std::filesystem::path path_;
    bool committed_ = false;
};

class PngDisplay final : public Display {
  public:
    PngDisplay(std::filesystem::path file, Size size) : file_(std::move(file)), size_(size) {}

    void show(const Screen& screen) override {
        const SurfacePtr surface = render_screen(screen, size_, CAIRO_FORMAT_RGB24);
        TempFile tmp(std::filesystem::path(file_) += ".new");
        detail::UniqueFd fd(
            ::open(tmp.path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        if (fd.get() < 0) detail::throw_errno("cannot create " + tmp.path().string());
        PngSink sink{fd.get()};
        const auto st = cairo_surface_write_to_png_stream(surface.get(), write_all, &sink);
        if (sink.error != 0) {
            errno = sink.error;
            detail::throw_errno("cannot write " + tmp.path().string());
        }
        if (st != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error("cannot encode PNG for " + tmp.path().string() + ": " +
                                     cairo_status_to_string(st));
        // Without fsync a crash after the rename could leave an empty file under the real name.
        if (::fsync(fd.get()) != 0) detail::throw_errno("cannot fsync " + tmp.path().string());
        if (::close(fd.release()) != 0) detail::throw_errno("cannot close " + tmp.path().string());
        if (::rename(tmp.path().c_str(), file_.c_str()) != 0)
            detail::throw_errno("cannot rename " + tmp.path().string() + " to " + file_.string());
        tmp.commit();
    }

  private:
    std::filesystem::path file_;
    Size size_;
};

}  // namespace

std::unique_ptr<Display> make_png_display(std::filesystem::path file, Size size) {
    if (size.width <= 0 || size.height <= 0)
        throw std::invalid_argument("PNG display " + file.string() + ": size " +
                                    std::to_string(size.width) + "x" + std::to_string(size.height) +
                                    " is not positive");
    if (file.empty()) throw std::invalid_argument("PNG display: empty file path");
    return std::make_unique<PngDisplay>(std::move(file), size);
}

}  // namespace cashbridge::display
