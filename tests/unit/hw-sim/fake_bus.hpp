// A MessageBus without a broker: records publishes, hands out injected events. Thread-safe
// and pollable (an eventfd), so a Simulator running its loop on another thread can use it.
#pragma once

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cashbridge/mqtt/bus.hpp"

namespace cashbridge::sim::test {

class FakeBus final : public mqtt::MessageBus {
  public:
    struct Published {
        std::string topic, payload;
        bool retain = false;
    };

    FakeBus() : efd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}
    ~FakeBus() override { ::close(efd_); }
    FakeBus(const FakeBus&) = delete;
    FakeBus& operator=(const FakeBus&) = delete;

    std::uint64_t publish(const std::string& topic, std::string payload, bool retain) override {
        std::lock_guard lock(mu_);
        published_.push_back({topic, std::move(payload), retain});
        return published_.size();  // ids 1, 2, ...: index + 1 of the publish
    }
    int fd() const override { return efd_; }
    std::vector<mqtt::BusEvent> drain() override {
        std::lock_guard lock(mu_);
        std::uint64_t n = 0;
        [[maybe_unused]] auto r = ::read(efd_, &n, sizeof n);
        return std::exchange(pending_, {});
    }
    bool connected() const override {
        std::lock_guard lock(mu_);
        return online_;
    }

    /// A message from the daemon on `topic`.
    void deliver(std::string topic, std::string payload) {
        push(mqtt::Message{std::move(topic), std::move(payload), false});
    }
    /// The broker acknowledges every publish so far.
    void confirm_all() {
        std::vector<mqtt::BusEvent> evs;
        {
            std::lock_guard lock(mu_);
            for (std::uint64_t id = confirmed_ + 1; id <= published_.size(); ++id)
                evs.push_back(mqtt::Delivered{id});
            confirmed_ = published_.size();
        }
        for (auto& e : evs) push(std::move(e));
    }
    void set_online(bool online) {
        {
            std::lock_guard lock(mu_);
            online_ = online;
        }
        if (online)
            push(mqtt::Connected{false});
        else
            push(mqtt::Disconnected{"test"});
    }
    std::vector<Published> published() const {
        std::lock_guard lock(mu_);
        return published_;
    }
    /// Publishes on `topic` so far.
    std::size_t count(const std::string& topic) const {
        std::lock_guard lock(mu_);
        std::size_t n = 0;
        for (const auto& p : published_) n += p.topic == topic;
        return n;
    }

  private:
    void push(mqtt::BusEvent ev) {
        std::lock_guard lock(mu_);
        pending_.push_back(std::move(ev));
        const std::uint64_t one = 1;
        [[maybe_unused]] auto r = ::write(efd_, &one, sizeof one);
    }

    mutable std::mutex mu_;
    int efd_;
    std::vector<Published> published_;
    std::vector<mqtt::BusEvent> pending_;
    bool online_ = true;
    std::uint64_t confirmed_ = 0;
};

}  // namespace cashbridge::sim::test
