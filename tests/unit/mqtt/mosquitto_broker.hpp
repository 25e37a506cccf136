// Test helper: a real Mosquitto on a free loopback port, started and stopped with RAII.
#pragma once

#include <sys/types.h>

#include <string>

namespace cashbridge::mqtt::test {

class MosquittoBroker {
  public:
    /// Picks a free port; starts the broker unless `start_now` is false.
    explicit MosquittoBroker(bool start_now = true);
    ~MosquittoBroker();
    MosquittoBroker(const MosquittoBroker&) = delete;
    MosquittoBroker& operator=(const MosquittoBroker&) = delete;

    /// Starts the broker and waits until it accepts TCP connections; throws on failure.
    void start();
    /// SIGTERM and wait. Persistence is off, so sessions and retained messages are gone.
    void stop();

    int port() const { return port_; }
    std::string uri() const { return "tcp://127.0.0.1:" + std::to_string(port_); }

  private:
    std::string dir_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace cashbridge::mqtt::test
