// SerialPort: libserialport for real serial devices, termios for pseudo-terminals.
#include "cashbridge/peripherals/serial_port.hpp"

#include <fcntl.h>
#include <libserialport.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "termios_config.hpp"

namespace cashbridge::peripherals {
namespace {

bool gone_errno(int e) {
    return e == EIO || e == ENXIO || e == ENODEV || e == EBADF;
}

// libserialport reports through return codes plus a thread-local message; this turns both
// into the one exception type that names the port.
[[noreturn]] void throw_sp(const std::string& path, const std::string& step, sp_return r) {
    std::string msg = step + ": ";
    if (r == SP_ERR_FAIL) {
        const int code = sp_last_error_code();
        char* text = sp_last_error_message();
        msg += text != nullptr ? text : "failed";
        sp_free_error_message(text);
        if (gone_errno(code)) throw PortVanished(path, msg);
    } else if (r == SP_ERR_SUPP) {
        msg += "not supported by this device";
    } else if (r == SP_ERR_MEM) {
        msg += "out of memory";
    } else {
        msg += "invalid argument";
    }
    throw SerialError(path, msg);
}

void check(const std::string& path, const char* step, sp_return r) {
    if (r < 0) throw_sp(path, step, r);
}

sp_parity to_sp(Parity p) {
    switch (p) {
        case Parity::odd:
            return SP_PARITY_ODD;
        case Parity::even:
            return SP_PARITY_EVEN;
        case Parity::none:
            break;
    }
    return SP_PARITY_NONE;
}

sp_flowcontrol to_sp(FlowControl f) {
    switch (f) {
        case FlowControl::xon_xoff:
            return SP_FLOWCONTROL_XONXOFF;
        case FlowControl::rts_cts:
            return SP_FLOWCONTROL_RTSCTS;
        case FlowControl::none:
            break;
    }
    return SP_FLOWCONTROL_NONE;
}

}  // namespace

void SerialPort::PortDeleter::operator()(sp_port* port) const {
    sp_close(port);  // harmless on a port that never opened
    sp_free_port(port);
}

SerialPort::SerialPort(std::string path, std::unique_ptr<sp_port, PortDeleter> port,
                       hal::UniqueFd tty)
    : path_(std::move(path)), port_(std::move(port)), tty_(std::move(tty)) {
    if (port_) {
        sp_get_port_handle(port_.get(), &fd_);
    } else {
        fd_ = tty_.get();
    }
}

SerialPort::SerialPort(SerialPort&& o) noexcept
    : path_(std::move(o.path_)),
      port_(std::move(o.port_)),
      tty_(std::move(o.tty_)),
      fd_(std::exchange(o.fd_, -1)) {}

SerialPort& SerialPort::operator=(SerialPort&& o) noexcept {
    if (this != &o) {
        path_ = std::move(o.path_);
        port_ = std::move(o.port_);
        tty_ = std::move(o.tty_);
        fd_ = std::exchange(o.fd_, -1);
    }
    return *this;
}

SerialPort::~SerialPort() = default;

SerialPort SerialPort::open(const std::string& path, const SerialSettings& settings) {
    validate(path, settings);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        throw PortVanished(path, std::string("not present: ") + std::strerror(errno));
    }
    sp_port* raw = nullptr;
    if (sp_get_port_by_name(path.c_str(), &raw) != SP_OK) {
        // libserialport 0.1.1 knows only devices listed in /sys/class/tty, which leaves out
        // pseudo-terminals (the simulator's devices, and socat-style bridges): termios
        // gives them the same settings.
        return SerialPort(path, nullptr, open_termios(path, settings));
    }
    std::unique_ptr<sp_port, PortDeleter> port(raw);
    sp_return r = sp_open(port.get(), SP_MODE_READ_WRITE);
    if (r != SP_OK) {
        if (r == SP_ERR_FAIL && errno == ENOENT) throw PortVanished(path, "vanished while opening");
        throw_sp(path, "open", r);
    }
    check(path, "baud rate", sp_set_baudrate(port.get(), settings.baud));
    check(path, "data bits", sp_set_bits(port.get(), settings.data_bits));
    check(path, "parity", sp_set_parity(port.get(), to_sp(settings.parity)));
    check(path, "stop bits", sp_set_stopbits(port.get(), settings.stop_bits));
    check(path, "flow control", sp_set_flowcontrol(port.get(), to_sp(settings.flow_control)));
    return SerialPort(path, std::move(port), hal::UniqueFd{});
}

void SerialPort::check_present() const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) {
        throw PortVanished(path_, "device gone (hangup)");
    }
}

std::size_t SerialPort::read(std::span<char> buffer) {
    if (buffer.empty()) return 0;
    if (port_) {
        const int r = sp_nonblocking_read(port_.get(), buffer.data(), buffer.size());
        if (r < 0) throw_sp(path_, "read", static_cast<sp_return>(r));
        if (r == 0) check_present();
        return static_cast<std::size_t>(r);
    }
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n > 0) return static_cast<std::size_t>(n);
    // With VMIN = VTIME = 0 an idle tty reads 0 bytes, so only a hangup tells it is gone.
    if (n == 0 || errno == EAGAIN || errno == EINTR) {
        check_present();
        return 0;
    }
    if (gone_errno(errno)) throw PortVanished(path_, "device gone (read)");
    throw SerialError(path_, std::string("read: ") + std::strerror(errno));
}

std::size_t SerialPort::write(std::span<const char> bytes) {
    if (bytes.empty()) return 0;
    if (port_) {
        const int r = sp_nonblocking_write(port_.get(), bytes.data(), bytes.size());
        if (r < 0) throw_sp(path_, "write", static_cast<sp_return>(r));
        return static_cast<std::size_t>(r);
    }
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EAGAIN || errno == EINTR) return 0;
    if (gone_errno(errno)) throw PortVanished(path_, "device gone (write)");
    throw SerialError(path_, std::string("write: ") + std::strerror(errno));
}

}  // namespace cashbridge::peripherals
