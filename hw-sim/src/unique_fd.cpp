// Unix socket and line-framing helpers shared by the line server, control server and ctl client.
#include "cashbridge/sim/unique_fd.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

namespace cashbridge::sim {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

sockaddr_un make_addr(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        throw std::system_error(ENAMETOOLONG, std::generic_category(),
                                "socket path empty or too long: " + path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

}  // namespace

std::int64_t monotonic_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

UniqueFd listen_unix(const std::string& path) {
    // Bound under a staging name and renamed once listening: the path appears only when a
    // connect() to it succeeds, so a client that waits for the file (the test harness, the
    // demo) never meets ECONNREFUSED in the gap between bind() and listen().
    const std::string staging = path + ".new";
    const auto addr = make_addr(staging);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket for " + path);
    // Only replace sockets (a stale one from a crashed run): never a file someone passed
    // by mistake.
    for (const auto& p : {path, staging}) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0) continue;
        if (!S_ISSOCK(st.st_mode))
            throw std::system_error(EEXIST, std::generic_category(),
                                    p + " exists and is not a socket");
        ::unlink(p.c_str());
    }
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0)
        throw_errno("bind " + staging);
    if (::listen(fd.get(), 16) < 0 || ::rename(staging.c_str(), path.c_str()) < 0) {
        const int err = errno;
        ::unlink(staging.c_str());
        throw std::system_error(err, std::generic_category(), "listen on " + path);
    }
    return fd;
}

UniqueFd connect_unix(const std::string& path) {
    const auto addr = make_addr(path);
    UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd) throw_errno("socket for " + path);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) < 0)
        throw_errno("connect " + path);
    return fd;
}

UniqueFd accept_nonblocking(int listen_fd) {
    for (;;) {
        const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) return UniqueFd(fd);
        if (errno == EINTR) continue;
        return UniqueFd();  // EAGAIN, or a connection that died before we took it
    }
}

bool send_all(int fd, std::string_view data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const auto n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
        // A slow reader: wait a little for room, but never hang the event loop on it.
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, 1000) <= 0) return false;
    }
    return true;
}

bool LineBuffer::next(std::string& line) {
    const auto nl = buffer_.find('\n');
    if (nl == std::string::npos) return false;
    line.assign(buffer_, 0, nl);
    buffer_.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

bool read_available(int fd, LineBuffer& buf) {
    char chunk[1024];
    // Bounded per call so one flooding peer cannot starve the others; poll() is level-
    // triggered and reports the rest.
    for (int reads = 0; reads < 64; ++reads) {
        const auto n = ::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT);
        if (n > 0) {
            buf.append(std::string_view(chunk, static_cast<std::size_t>(n)));
            if (buf.overflowed()) return true;
            continue;
        }
        if (n == 0) return false;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    return true;
}

}  // namespace cashbridge::sim
