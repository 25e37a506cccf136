// The printer device file transport: a USB printer class device (/dev/usb/lp0) or a pty.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "cashbridge/hal/unique_fd.hpp"
#include "cashbridge/peripherals/receipt_port.hpp"
#include "receipt_deadline.hpp"

namespace cashbridge::peripherals {
namespace {

using Clock = PortClock;

class FilePort final : public ReceiptPort {
  public:
    explicit FilePort(const std::filesystem::path& device) : name_(device.string()) {
        fd_.reset(::open(device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
        if (!fd_) hal::throw_errno("receipt.device: cannot open " + name_);
    }

    void write(std::string_view bytes, std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        while (!bytes.empty()) {
            const auto n = ::write(fd_.get(), bytes.data(), bytes.size());
            if (n > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                throw std::runtime_error("write to " + name_ + ": " + std::strerror(errno));
            pollfd p{fd_.get(), POLLOUT, 0};
            if (::poll(&p, 1, ms_left(deadline)) == 0)
                throw std::runtime_error("write to " + name_ + ": printer took no data for " +
                                         std::to_string(timeout.count()) + " ms");
            if (p.revents & (POLLERR | POLLHUP))
                throw std::runtime_error("write to " + name_ + ": device gone");
        }
    }

    std::optional<std::uint8_t> read_byte(std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            std::uint8_t b = 0;
            const auto n = ::read(fd_.get(), &b, 1);
            if (n == 1) return b;
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                throw std::runtime_error("read from " + name_ + ": " + std::strerror(errno));
            pollfd p{fd_.get(), POLLIN, 0};
            if (::poll(&p, 1, ms_left(deadline)) <= 0) return std::nullopt;
            if ((p.revents & POLLIN) == 0) return std::nullopt;
        }
    }

    void discard_input() override {
        char buf[256];
        while (::read(fd_.get(), buf, sizeof buf) > 0) {
        }
    }

  private:
    std::string name_;
    hal::UniqueFd fd_;
};

}  // namespace

std::unique_ptr<ReceiptPort> open_file_port(const std::filesystem::path& device) {
    return std::make_unique<FilePort>(device);
}

}  // namespace cashbridge::peripherals
