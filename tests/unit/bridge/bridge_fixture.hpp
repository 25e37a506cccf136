// A Bridge wired to recording doubles, a fake board and a fake clock, with helpers to make
// signed completions as the payment server would.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <filesystem>

#include "cashbridge/bridge/bridge.hpp"
#include "cashbridge/bridge/journal_observer.hpp"
#include "cashbridge/hal/fake_board.hpp"
#include "test_doubles.hpp"

namespace cashbridge::bridge {

class BridgeFixture : public ::testing::Test {
  public:
    static Config make_config() {
        Config c;
        c.machine_id = "vend-7";
        c.machine_name = "Test machine";
        c.payment.price_mode = PriceMode::fixed;
        c.payment.price = 200;
        c.payment.max_amount = 1000;
        c.payment.key = "0123456789abcdef0123456789abcdef";
        c.payment.qr_template = "https://pay.example/p?m={machine}&s={session}&a={amount}";
        c.payment.paid_screen = std::chrono::seconds(3);
        c.acceptor.pulse_value = 10;
        c.acceptor.pulse_width = std::chrono::milliseconds(50);
        c.acceptor.pulse_gap = std::chrono::milliseconds(50);
        c.acceptor.coins = {{hal::LineSpec::named("coin"), 10}};
        c.acceptor.delivery_timeout = std::chrono::seconds(60);
        return c;
    }

    Now now() const { return {clock.now(), wall}; }

    mqtt::PaymentClaims claims(std::int64_t amount, const std::string& jti = "pay-1") const {
        const auto t =
            std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
        return {config.machine_id,
                jti,
                bridge.session() ? bridge.session()->id : "none",
                amount,
                "EUR",
                t,
                t + 300,
                std::nullopt};
    }

    void deliver(const std::string& payload) {
        bridge.on_bus_event(mqtt::Message{topics.down_payment, payload, false}, now());
    }

    /// Feeds pulse reports back until the player has nothing left to say.
    void settle() {
        for (int i = 0; i < 100; ++i) {
            pollfd p{player.fd(), POLLIN, 0};
            ::poll(&p, 1, 10);
            for (auto& r : player.drain()) bridge.on_pulse_report(r, now());
            if (player.idle() && ::poll(&p, 1, 0) == 0) return;
        }
    }

    std::int64_t counter(const std::string& name) const {
        auto it = bridge.counters().find(name);
        return it == bridge.counters().end() ? 0 : it->second;
    }

    Config config = make_config();
    mqtt::Topics topics{config.machine_id};
    testing_doubles::RecordingBus bus;
    testing_doubles::RecordingDisplay display;
    /// A real journal in a fresh temporary file, removed after the test.
    struct TempJournalFile {
        std::filesystem::path dir = [] {
            auto d = std::filesystem::temp_directory_path() /
                     ("cb-journal-" + std::to_string(::getpid()) + "-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
            std::filesystem::create_directories(d);
            return d;
        }();
        std::filesystem::path file = dir / "journal.db";
        ~TempJournalFile() { std::filesystem::remove_all(dir); }
    };

    hal::FakeClock clock;
    hal::FakeBoard board{clock};
    std::unique_ptr<hal::OutputLine> coin =
        board.claim_output(hal::LineSpec::named("coin"), hal::Level::high);
    TempJournalFile journal_file;
    Journal journal{journal_file.file, 100};
    JournalObserver journal_pulses{journal};
    PulsePlayer player{clock,
                       {coin.get()},
                       hal::Level::low,
                       std::chrono::milliseconds(50),
                       std::chrono::milliseconds(10),
                       &journal_pulses};
    Logger log{std::cerr, LogLevel::warn};
    Bridge bridge{config, bus, display, player, journal, log};
    WallTime wall{std::chrono::seconds(1'800'000'000)};
};

}  // namespace cashbridge::bridge
