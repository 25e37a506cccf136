// Line server: claims, SET/EDGE exchange and release-reads-inactive, per docs/sim-lines.md.
#include "cashbridge/sim/line_server.hpp"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {

LineServer::LineServer(std::string path, std::vector<LineSpec> lines)
    : path_(std::move(path)), listen_fd_(listen_unix(path_)) {
    for (auto& spec : lines) {
        const int level = spec.inactive_level;
        lines_.push_back({std::move(spec), level, false});
    }
}

LineServer::~LineServer() {
    ::unlink(path_.c_str());
}

void LineServer::add_pollfds(std::vector<pollfd>& fds) const {
    fds.push_back({listen_fd_.get(), POLLIN, 0});
    for (const auto& c : clients_) fds.push_back({c.fd.get(), POLLIN, 0});
}

LineServer::Line* LineServer::find(const std::string& name) {
    for (auto& l : lines_)
        if (l.spec.name == name) return &l;
    return nullptr;
}

std::optional<int> LineServer::level(const std::string& name) const {
    for (const auto& l : lines_)
        if (l.spec.name == name) return l.level;
    return std::nullopt;
}

std::vector<LineStatus> LineServer::status() const {
    std::vector<LineStatus> out;
    for (const auto& l : lines_) out.push_back({l.spec.name, l.spec.direction, l.claimed, l.level});
    return out;
}

std::vector<LineEvent> LineServer::service() {
    std::vector<LineEvent> events;
    while (auto fd = accept_nonblocking(listen_fd_.get())) {
        clients_.emplace_back();
        clients_.back().fd = std::move(fd);
    }

    for (auto& c : clients_) {
        const bool alive = read_available(c.fd.get(), c.buffer);
        std::string msg;
        // Messages sent just before a close still count: a daemon that sets the line
        // inactive and exits must not look like a release at a later time.
        while (!c.closing && c.buffer.next(msg)) handle_message(c, msg, events);
        if (!c.closing && c.buffer.overflowed()) {
            send_all(c.fd.get(), "ERR message too long\n");
            events.push_back({LineEvent::Kind::bad_message,
                              c.line == npos ? "" : lines_[c.line].spec.name, 0, monotonic_ns(),
                              "message too long"});
            c.closing = true;
        }
        if (!alive || c.closing) release(c, events);
    }
    std::erase_if(clients_, [](const Client& c) { return !c.fd; });
    return events;
}

void LineServer::release(Client& c, std::vector<LineEvent>& events) {
    if (c.line != npos) {
        Line& l = lines_[c.line];
        l.claimed = false;
        const auto t = monotonic_ns();
        // A released output floats to its pull-up: the machine sees the inactive level.
        if (l.spec.direction == Direction::out && l.level != l.spec.inactive_level) {
            l.level = l.spec.inactive_level;
            events.push_back({LineEvent::Kind::changed, l.spec.name, l.level, t, "released"});
        }
        events.push_back({LineEvent::Kind::released, l.spec.name, l.level, t, ""});
        c.line = npos;
    }
    c.fd.reset();
}

void LineServer::handle_message(Client& c, const std::string& msg, std::vector<LineEvent>& events) {
    const auto words = split_words(msg);
    const std::string name = c.line == npos ? "" : lines_[c.line].spec.name;
    auto bad = [&](const std::string& why) {
        send_all(c.fd.get(), "ERR " + why + "\n");
        events.push_back({LineEvent::Kind::bad_message, name, 0, monotonic_ns(), why});
    };
    if (words.empty()) return;  // blank lines are harmless; be liberal
    if (words[0] == "CLAIM") return handle_claim(c, words, events);
    if (words[0] != "SET") return bad("unknown message '" + msg.substr(0, 64) + "'");
    if (c.line == npos) {
        bad("SET before CLAIM");
        c.closing = true;
        return;
    }
    Line& l = lines_[c.line];
    if (l.spec.direction != Direction::out) return bad("line " + name + " is an input");
    const auto level = words.size() == 3 ? parse_level(words[1]) : std::nullopt;
    const auto t = words.size() == 3 ? parse_int64(words[2]) : std::nullopt;
    if (!level || !t || *t < 0)
        return bad("expected 'SET <0|1> <t_ns>', got '" + msg.substr(0, 64) + "'");
    if (*level == l.level) return;
    l.level = *level;
    events.push_back({LineEvent::Kind::changed, name, *level, *t, ""});
}

void LineServer::handle_claim(Client& c, const std::vector<std::string>& words,
                              std::vector<LineEvent>& events) {
    auto refuse = [&](const std::string& line, const std::string& why) {
        send_all(c.fd.get(), "ERR " + why + "\n");
        events.push_back({LineEvent::Kind::refused, line, 0, monotonic_ns(), why});
        c.closing = true;  // the protocol says a refused claimant is disconnected
    };
    if (c.line != npos) {
        // Not a fresh claimant: refusing must not drop the line it already holds.
        send_all(c.fd.get(),
                 "ERR this connection already holds " + lines_[c.line].spec.name + "\n");
        events.push_back({LineEvent::Kind::bad_message, lines_[c.line].spec.name, 0, monotonic_ns(),
                          "second CLAIM on one connection"});
        return;
    }
    const bool out = words.size() == 4 && words[2] == "out";
    const bool in = words.size() == 3 && words[2] == "in";
    if (!out && !in)
        return refuse(words.size() > 1 ? words[1] : "",
                      "expected 'CLAIM <name> out <0|1>' or 'CLAIM <name> in'");
    Line* l = find(words[1]);
    if (!l) return refuse(words[1], "unknown line " + words[1]);
    if (l->claimed) return refuse(words[1], "line " + words[1] + " already claimed");
    const Direction want = out ? Direction::out : Direction::in;
    if (l->spec.direction != want)
        return refuse(words[1], "line " + words[1] + " is an " +
                                    (l->spec.direction == Direction::out ? "output" : "input") +
                                    " of the daemon");
    std::optional<int> initial;
    if (out && !(initial = parse_level(words[3])))
        return refuse(words[1], "bad level '" + words[3] + "'");

    const auto t = monotonic_ns();
    l->claimed = true;
    c.line = static_cast<std::size_t>(l - lines_.data());
    events.push_back({LineEvent::Kind::claimed, l->spec.name, initial.value_or(l->level), t, ""});
    if (initial && *initial != l->level) {
        l->level = *initial;
        events.push_back({LineEvent::Kind::changed, l->spec.name, l->level, t, "claimed"});
    }
    send_all(c.fd.get(), "OK " + std::to_string(l->level) + " " + std::to_string(t) + "\n");
}

std::optional<LineEvent> LineServer::drive(const std::string& name, int level,
                                           std::optional<std::int64_t> t_ns) {
    Line* l = find(name);
    if (!l) throw std::invalid_argument("unknown line " + name);
    if (l->spec.direction != Direction::in)
        throw std::invalid_argument("line " + name + " is driven by the daemon");
    if (l->level == level) return std::nullopt;
    l->level = level;
    const auto t = t_ns.value_or(monotonic_ns());
    for (auto& c : clients_)
        if (c.fd && c.line != npos && &lines_[c.line] == l)
            send_all(c.fd.get(), "EDGE " + std::to_string(level) + " " + std::to_string(t) + "\n");
    return LineEvent{LineEvent::Kind::changed, name, level, t, ""};
}

}  // namespace cashbridge::sim
