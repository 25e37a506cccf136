// SerialPeer: a pseudo-terminal whose slave the daemon opens through a stable symlink, or
// an existing tty (a real UART).
#include "cashbridge/sim/serial_peer.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <system_error>

namespace cashbridge::sim {

SerialPeer::SerialPeer(std::string link) : link_(std::move(link)) {
    plug();
}

SerialPeer::SerialPeer(std::string device, ExistingTty)
    : link_(std::move(device)), existing_(true) {
    plug();
}

SerialPeer::~SerialPeer() {
    if (!existing_) ::unlink(link_.c_str());
}

void SerialPeer::plug() {
    if (master_) return;
    if (existing_) {
        // O_NONBLOCK: a UART's open would otherwise wait for carrier; CLOCAL ignores it.
        UniqueFd fd(::open(link_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
        termios t{};
        if (!fd || ::tcgetattr(fd.get(), &t) != 0)
            throw std::system_error(errno, std::generic_category(), "open " + link_);
        ::cfmakeraw(&t);
        ::cfsetspeed(&t, B9600);
        t.c_cflag |= CLOCAL | CREAD;
        t.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS | CSTOPB);
        if (::tcsetattr(fd.get(), TCSANOW, &t) != 0)
            throw std::system_error(errno, std::generic_category(), "configure " + link_);
        master_ = std::move(fd);
        return;
    }
    int m = -1;
    int s = -1;
    std::array<char, 128> name{};
    termios raw{};
    ::cfmakeraw(&raw);  // no echo and no line discipline until the daemon sets its own
    if (::openpty(&m, &s, name.data(), &raw, nullptr) != 0)
        throw std::system_error(errno, std::generic_category(), "openpty for " + link_);
    master_.reset(m);
    slave_.reset(s);
    ::fcntl(m, F_SETFL, ::fcntl(m, F_GETFL) | O_NONBLOCK);
    // Replace the link atomically, so the daemon never sees it missing while plugged.
    const std::string tmp = link_ + ".new";
    ::unlink(tmp.c_str());
    if (::symlink(name.data(), tmp.c_str()) != 0 || ::rename(tmp.c_str(), link_.c_str()) != 0)
        throw std::system_error(errno, std::generic_category(), "symlink " + link_);
}

void SerialPeer::unplug() {
    if (!existing_) ::unlink(link_.c_str());  // the device node goes away, as with USB
    slave_.reset();
    master_.reset();
}

void SerialPeer::send(const std::string& bytes) {
    if (!master_) throw std::runtime_error(link_ + " is unplugged");
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(master_.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno != EINTR && errno != EAGAIN)
            throw std::system_error(errno, std::generic_category(), "write to " + link_);
        if (n > 0) done += static_cast<std::size_t>(n);
    }
}

void SerialPeer::drain() {
    if (!master_) return;
    std::array<char, 256> buf{};
    while (::read(master_.get(), buf.data(), buf.size()) > 0) {
    }
}

}  // namespace cashbridge::sim
