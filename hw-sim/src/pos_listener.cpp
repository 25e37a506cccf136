// PosListener: a UDP (multicast) receiver playing the attendant's handheld POS.
#include "cashbridge/sim/pos_listener.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdexcept>

#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {
namespace {

constexpr std::size_t keep_max = 1000;

}  // namespace

PosListener::PosListener(const std::string& listen, const std::string& interface)
    : listen_(listen) {
    const auto colon = listen.rfind(':');
    in_addr group{};
    const auto port =
        colon == std::string::npos ? std::nullopt : parse_int64(listen.substr(colon + 1));
    if (!port || *port < 1 || *port > 65535 ||
        ::inet_pton(AF_INET, listen.substr(0, colon).c_str(), &group) != 1)
        throw std::invalid_argument("--pos-listen: expected ADDR:PORT, got '" + listen + "'");
    fd_.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd_) hal::throw_errno("pos listener: socket");
    const int one = 1;
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(static_cast<std::uint16_t>(*port));
    at.sin_addr.s_addr = htonl(INADDR_ANY);
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&at), sizeof at) != 0)
        hal::throw_errno("pos listener: bind port " + std::to_string(*port));
    if (IN_MULTICAST(ntohl(group.s_addr))) {
        ip_mreqn req{};
        req.imr_multiaddr = group;
        if (!interface.empty()) {
            req.imr_ifindex = static_cast<int>(::if_nametoindex(interface.c_str()));
            if (req.imr_ifindex == 0)
                throw std::invalid_argument("--pos-interface: no interface named " + interface);
        }
        if (::setsockopt(fd_.get(), IPPROTO_IP, IP_ADD_MEMBERSHIP, &req, sizeof req) != 0)
            hal::throw_errno("pos listener: join " + listen.substr(0, colon));
    }
}

void PosListener::add_pollfds(std::vector<pollfd>& fds) const {
    fds.push_back({fd_.get(), POLLIN, 0});
}

std::vector<std::string> PosListener::service() {
    std::vector<std::string> log;
    char buf[65536];
    for (;;) {
        sockaddr_in from{};
        socklen_t len = sizeof from;
        const auto n =
            ::recvfrom(fd_.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
        if (n < 0) break;
        std::string text(buf, static_cast<std::size_t>(n));
        char addr[INET_ADDRSTRLEN] = "?";
        ::inet_ntop(AF_INET, &from.sin_addr, addr, sizeof addr);
        auto j = json_parse(text);
        if (!j || !cJSON_IsObject(j.get())) {
            if (errors_.size() < keep_max) errors_.push_back("not JSON from " + std::string(addr));
            log.push_back("pos: not JSON from " + std::string(addr));
            continue;
        }
        log.push_back("pos: from " + std::string(addr) + ": " + text);
        if (received_.size() < keep_max) received_.push_back(std::move(text));
    }
    return log;
}

void PosListener::reset() {
    received_.clear();
    errors_.clear();
}

Json PosListener::status() const {
    auto j = json_object();
    cJSON_AddStringToObject(j.get(), "listen", listen_.c_str());
    auto received = json_array();
    for (const auto& r : received_)
        if (auto d = json_parse(r)) json_append(received.get(), std::move(d));
    json_add(j.get(), "received", std::move(received));
    auto errors = json_array();
    for (const auto& e : errors_) json_append(errors.get(), Json(cJSON_CreateString(e.c_str())));
    json_add(j.get(), "errors", std::move(errors));
    return j;
}

}  // namespace cashbridge::sim
