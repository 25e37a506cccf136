// UDP datagrams to the LAN's POS terminals: socket options and non-blocking sends.
#include "cashbridge/peripherals/pos_sender.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace cashbridge::peripherals {
namespace {

void set_option(int fd, int level, int name, const void* value, socklen_t size, const char* what) {
    if (::setsockopt(fd, level, name, value, size) != 0)
        hal::throw_errno(std::string("pos: setsockopt ") + what);
}

}  // namespace

PosSender::PosSender(const bridge::PosConfig& config)
    : config_(config), fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    if (!fd_) hal::throw_errno("pos: socket");
    const int one = 1;
    // Allowed on every socket: whether a target is a subnet broadcast address depends on the
    // netmask, which the kernel knows and the config need not say.
    set_option(fd_.get(), SOL_SOCKET, SO_BROADCAST, &one, sizeof one, "SO_BROADCAST");
    const int ttl = config.multicast_ttl;
    set_option(fd_.get(), IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl, "IP_MULTICAST_TTL");
    const int loop = config.multicast_loop ? 1 : 0;
    set_option(fd_.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop, "IP_MULTICAST_LOOP");
    if (!config.multicast_interface.empty()) {
        ip_mreqn req{};
        req.imr_ifindex = static_cast<int>(::if_nametoindex(config.multicast_interface.c_str()));
        if (req.imr_ifindex == 0)
            throw std::invalid_argument("pos.multicast_interface: no network interface named \"" +
                                        config.multicast_interface + "\"");
        set_option(fd_.get(), IPPROTO_IP, IP_MULTICAST_IF, &req, sizeof req, "IP_MULTICAST_IF");
    }
}

int PosSender::send(std::string_view datagram) {
    int failures = 0;
    for (const auto& t : config_.targets) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(t.port);
        ::inet_pton(AF_INET, t.address.c_str(), &to.sin_addr);  // checked by the config
        const auto n =
            ::sendto(fd_.get(), datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                     reinterpret_cast<sockaddr*>(&to), sizeof to);
        if (n == static_cast<ssize_t>(datagram.size())) {
            ++sent_;
            continue;
        }
        ++failures;
        ++failed_;
        last_error_ = t.address + ":" + std::to_string(t.port) + ": " +
                      (n < 0 ? std::strerror(errno) : "short send");
    }
    return failures;
}

}  // namespace cashbridge::peripherals
