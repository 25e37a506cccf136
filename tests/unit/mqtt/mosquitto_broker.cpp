// Starts /usr/sbin/mosquitto with a throwaway config; waits on a TCP probe, not on sleeps.
#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace cashbridge::mqtt::test {
namespace {

sockaddr_in loopback(int port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

// Binding port 0 lets the kernel choose; the tiny window before Mosquitto binds it is
// acceptable for tests.
int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    auto a = loopback(0);
    socklen_t len = sizeof a;
    if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (s >= 0) ::close(s);
        throw std::runtime_error("no free port");
    }
    ::close(s);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return false;
    auto a = loopback(port);
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(s);
    return ok;
}

}  // namespace

MosquittoBroker::MosquittoBroker(bool start_now) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cb-mosq-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    port_ = free_port();
    std::ofstream conf(dir_ + "/mosquitto.conf");
    conf << "listener " << port_ << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence false\n"
         << "log_dest none\n";
    conf.close();
    if (start_now) start();
}

MosquittoBroker::~MosquittoBroker() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void MosquittoBroker::start() {
    if (pid_ > 0) return;
    const std::string conf = dir_ + "/mosquitto.conf";
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::execl("/usr/sbin/mosquitto", "mosquitto", "-c", conf.c_str(), nullptr);
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!accepts(port_)) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("mosquitto exited at start");
        }
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("no broker");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void MosquittoBroker::stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

}  // namespace cashbridge::mqtt::test
