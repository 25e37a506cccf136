// Test doubles for the bridge's collaborators: a bus that records what is published and a
// display that records what is shown.
#pragma once

#include <sys/eventfd.h>

#include <vector>

#include "cashbridge/display/display.hpp"
#include "cashbridge/hal/unique_fd.hpp"
#include "cashbridge/mqtt/bus.hpp"

namespace cashbridge::bridge::testing_doubles {

struct Published {
    std::string topic;
    std::string payload;
    bool retain;
};

class RecordingBus final : public mqtt::MessageBus {
  public:
    std::uint64_t publish(const std::string& topic, std::string payload, bool retain) override {
        published.push_back({topic, std::move(payload), retain});
        return published.size();  // the id is the message's position, from 1
    }
    int fd() const override { return fd_.get(); }
    std::vector<mqtt::BusEvent> drain() override { return {}; }
    bool connected() const override { return true; }

    /// Messages on `topic` whose payload contains `needle`.
    std::vector<std::string> on(const std::string& topic, const std::string& needle = "") const {
        std::vector<std::string> out;
        for (const auto& p : published)
            if (p.topic == topic && p.payload.find(needle) != std::string::npos)
                out.push_back(p.payload);
        return out;
    }
    std::vector<Published> published;

  private:
    hal::UniqueFd fd_{::eventfd(0, EFD_NONBLOCK)};
};

class RecordingDisplay final : public display::Display {
  public:
    void show(const display::Screen& s) override { shown.push_back(s); }
    std::vector<display::Screen> shown;
};

}  // namespace cashbridge::bridge::testing_doubles
