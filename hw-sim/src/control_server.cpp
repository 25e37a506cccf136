// Control socket plumbing: framing and per-client request/reply ordering, no command logic.
#include "cashbridge/sim/control_server.hpp"

#include <unistd.h>

#include <algorithm>

#include "cashbridge/sim/text.hpp"

namespace cashbridge::sim {

Command parse_command(const std::string& line) {
    Command c;
    auto words = split_words(line);
    if (words.empty()) return c;
    c.verb = words[0];
    for (std::size_t i = 1; i < words.size(); ++i) {
        const auto eq = words[i].find('=');
        if (eq == std::string::npos || eq == 0)
            c.words.push_back(words[i]);
        else
            c.args[words[i].substr(0, eq)] = words[i].substr(eq + 1);
    }
    return c;
}

ControlServer::ControlServer(std::string path)
    : path_(std::move(path)), listen_fd_(listen_unix(path_)) {}

ControlServer::~ControlServer() {
    ::unlink(path_.c_str());
}

void ControlServer::add_pollfds(std::vector<pollfd>& fds) const {
    fds.push_back({listen_fd_.get(), POLLIN, 0});
    // A busy client is not read, so a chatty one cannot grow its buffer without bound; an
    // EOF is still noticed once it is answered.
    for (const auto& c : clients_)
        if (!c.busy && !c.eof) fds.push_back({c.fd.get(), POLLIN, 0});
}

bool ControlServer::has_ready() const {
    return std::any_of(clients_.begin(), clients_.end(),
                       [](const Client& c) { return !c.busy && (c.eof || c.buffer.has_line()); });
}

ControlServer::Batch ControlServer::service() {
    Batch batch;
    while (auto fd = accept_nonblocking(listen_fd_.get())) {
        clients_.push_back({});
        clients_.back().id = next_id_++;
        clients_.back().fd = std::move(fd);
    }
    for (auto& c : clients_) {
        if (c.busy) continue;
        if (!c.eof && !read_available(c.fd.get(), c.buffer)) c.eof = true;
        if (c.buffer.overflowed()) {
            send_all(c.fd.get(), R"({"ok":false,"error":"request line too long"})"
                                 "\n");
            c.fd.reset();
            batch.closed.push_back(c.id);
            continue;
        }
        std::string line;
        if (c.buffer.next(line)) {
            c.busy = true;
            batch.requests.push_back({c.id, std::move(line)});
        } else if (c.eof) {
            // Only close once everything it sent has been answered: `echo status | nc -U`
            // half-closes right after the request.
            c.fd.reset();
            batch.closed.push_back(c.id);
        }
    }
    std::erase_if(clients_, [](const Client& c) { return !c.fd; });
    return batch;
}

void ControlServer::reply(ClientId client, const std::string& json) {
    for (auto& c : clients_) {
        if (c.id != client) continue;
        c.busy = false;
        if (!send_all(c.fd.get(), json + "\n")) c.eof = true;
        return;
    }
}

}  // namespace cashbridge::sim
