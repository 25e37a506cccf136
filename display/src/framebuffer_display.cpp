/// @file framebuffer_display.cpp
/// The device half of the framebuffer backend: open, query and map /dev/fbN.
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <optional>

#include "cashbridge/display/framebuffer.hpp"
#include "unique_fd.hpp"

namespace cashbridge::display {
namespace {

class FramebufferDisplay final : public Display {
  public:
    explicit FramebufferDisplay(std::filesystem::path device) : device_(std::move(device)) {
        fd_ = detail::UniqueFd(::open(device_.c_str(), O_RDWR | O_CLOEXEC));
        if (fd_.get() < 0) detail::throw_errno("cannot open framebuffer " + device_.string());
        if (::ioctl(fd_.get(), FBIOGET_FSCREENINFO, &fix_) != 0)
            detail::throw_errno(device_.string() + ": FBIOGET_FSCREENINFO failed");
        // Fail at start-up on an unsupported panel rather than at the first payment.
        framebuffer_format(var_info(), device_.string());
        if (fix_.smem_len == 0)
            throw std::runtime_error(device_.string() + ": framebuffer reports no memory");
        void* addr =
            ::mmap(nullptr, fix_.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
        if (addr == MAP_FAILED) detail::throw_errno("cannot mmap framebuffer " + device_.string());
        map_.emplace(addr, fix_.smem_len);
    }

    void show(const Screen& screen) override {
        // Re-read each time: resolution or panning offset may have been changed by fbset
        // or the console since we opened the device.
        draw_to_framebuffer(screen, var_info(), fix_, {map_->data(), map_->size()},
                            device_.string());
    }

  private:
    fb_var_screeninfo var_info() const {
        fb_var_screeninfo var{};
        if (::ioctl(fd_.get(), FBIOGET_VSCREENINFO, &var) != 0)
            detail::throw_errno(device_.string() + ": FBIOGET_VSCREENINFO failed");
        return var;
    }

    std::filesystem::path device_;
    detail::UniqueFd fd_;
    fb_fix_screeninfo fix_{};
    std::optional<detail::Mapping> map_;
};

}  // namespace

std::unique_ptr<Display> make_framebuffer_display(std::filesystem::path device) {
    return std::make_unique<FramebufferDisplay>(std::move(device));
}

}  // namespace cashbridge::display
