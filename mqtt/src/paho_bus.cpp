// PahoBus: MessageBus over mqtt::async_client. Paho threads only enqueue and poke an eventfd;
// a small retry thread covers the one case Paho's automatic reconnect does not: a broker
// that is down when the daemon starts.
#include "cashbridge/mqtt/paho_bus.hpp"

#include <mqtt/async_client.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "tcp_nodelay.hpp"

namespace cashbridge::mqtt {
namespace {

constexpr int qos = 1;

class EventFd {
  public:
    EventFd() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
        if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    }
    ~EventFd() { ::close(fd_); }
    EventFd(const EventFd&) = delete;
    EventFd& operator=(const EventFd&) = delete;
    int get() const { return fd_; }
    void signal() const {
        const std::uint64_t one = 1;
        // Only fails with EAGAIN when the counter is saturated, which still reads as ready.
        (void)!::write(fd_, &one, sizeof one);
    }
    void reset() const {
        std::uint64_t n = 0;
        (void)!::read(fd_, &n, sizeof n);
    }

  private:
    int fd_;
};

::mqtt::create_options make_create_options(const PahoBusOptions& o) {
    ::mqtt::create_options c(MQTTVERSION_3_1_1, o.max_buffered);
    // anyTime: also buffer before the first successful connect, so publish() never throws
    // just because the broker was down at start.
    c.set_send_while_disconnected(true, true);
    c.set_delete_oldest_messages(true);
    return c;
}

}  // namespace

struct PahoBus::Impl final : ::mqtt::iaction_listener {
    // Reports Connected once the subscription request has been answered either way.
    struct SubscribeListener final : ::mqtt::iaction_listener {
        Impl& impl;
        explicit SubscribeListener(Impl& i) : impl(i) {}
        void on_success(const ::mqtt::token&) override { impl.report_connected(); }
        void on_failure(const ::mqtt::token&) override { impl.report_connected(); }
    };

    // Turns the PUBACK of a QoS 1 publish into Delivered{id}. The id travels as the token's
    // user context, so no map has to be kept (or cleaned up for dropped messages). Paho C
    // keeps the callback with the queued command, so messages buffered while disconnected
    // (and, with a persistent session, in flight when the link dropped) are confirmed when
    // their PUBACK finally arrives. Failures (dropped, session cleaned, disconnect) report
    // nothing: the caller's outbox re-sends whatever it never saw confirmed.
    struct DeliveryListener final : ::mqtt::iaction_listener {
        Impl& impl;
        explicit DeliveryListener(Impl& i) : impl(i) {}
        void on_success(const ::mqtt::token& tok) override {
            const auto id = static_cast<std::uint64_t>(
                reinterpret_cast<std::uintptr_t>(tok.get_user_context()));
            if (id != 0) impl.push(Delivered{id});
        }
        void on_failure(const ::mqtt::token&) override {}
    };

    PahoBusOptions opts;
    EventFd efd;
    std::atomic<std::uint64_t> next_id{1};

    mutable std::mutex mu;  // guards pending
    std::vector<BusEvent> pending;
    std::atomic<bool> is_connected{false};
    std::atomic<bool> closed{false};
    std::atomic<bool> first_connect_done{false};
    std::atomic<bool> session_present{false};

    std::mutex retry_mu;  // guards the three fields below
    std::condition_variable retry_cv;
    bool retry_needed = false;
    bool stopping = false;
    ::mqtt::token_ptr connect_token;

    ::mqtt::connect_options conn_opts;
    SubscribeListener subscribed{*this};
    DeliveryListener delivered{*this};
    // Declared after everything its callbacks touch, so it is destroyed (and its threads
    // quiet) before them.
    ::mqtt::async_client cli;
    std::thread retry_thread;

    explicit Impl(PahoBusOptions o)
        : opts(std::move(o)),
          cli(opts.server_uri, opts.client_id, make_create_options(opts), nullptr) {
        ::mqtt::connect_options_builder b;
        b.mqtt_version(MQTTVERSION_3_1_1)
            .clean_session(opts.clean_session)
            .keep_alive_interval(opts.keepalive)
            .connect_timeout(std::chrono::seconds(5))
            .automatic_reconnect(opts.min_retry, opts.max_retry);
        if (!opts.will_topic.empty()) {
            b.will(::mqtt::message(opts.will_topic, opts.will_payload, qos, true));
        }
        if (!opts.username.empty()) b.user_name(opts.username).password(opts.password);
        conn_opts = b.finalize();

        // Callbacks before connect, or the first CONNACK/messages could be missed.
        cli.set_connected_handler([this](const std::string&) { on_connected(); });
        cli.set_connection_lost_handler([this](const std::string& cause) { on_lost(cause); });
        cli.set_message_callback([this](::mqtt::const_message_ptr m) { on_message(m); });

        retry_thread = std::thread([this] { retry_loop(); });
        start_connect();
    }

    ~Impl() override {
        stop_retrying();
        if (!closed.exchange(true)) disconnect(std::chrono::milliseconds(1000));
    }

    void push(BusEvent ev) noexcept {
        try {
            const std::lock_guard lk(mu);
            pending.push_back(std::move(ev));
            efd.signal();
        } catch (...) {
            // Out of memory on a Paho thread: dropping one event beats terminating.
        }
    }

    // connected() turns true with the Connected event, on SUBACK: a peer that waits for it
    // (a test's payment server before the daemon starts) then cannot miss a message sent
    // between CONNACK and SUBACK.
    void report_connected() noexcept {
        is_connected = true;
        push(Connected{session_present});
    }

    void on_connected() noexcept {
        disable_nagle_towards(opts.server_uri);
        bool present = false;
        try {
            if (!first_connect_done.exchange(true)) {
                // Paho reports the CONNACK flags only for the first connect's token;
                // later automatic reconnects leave it unknown (false).
                const std::lock_guard lk(retry_mu);
                if (connect_token && connect_token->is_complete())
                    present = connect_token->get_connect_response().is_session_present();
            }
            session_present = present;
            // Always renew subscriptions: harmless when the broker kept the session, and
            // required when it did not (expired session, broker restarted without
            // persistence). Connected is reported on SUBACK so that the bridge never acts
            // on a connection that cannot yet receive payments.
            if (!opts.subscriptions.empty()) {
                auto filters = ::mqtt::string_collection::create(opts.subscriptions);
                std::vector<int> qoss(opts.subscriptions.size(), qos);
                cli.subscribe(filters, qoss, nullptr, subscribed);
                return;
            }
        } catch (...) {
            // Subscribing failed to start; report the connection anyway, the next reconnect
            // retries the subscription.
        }
        report_connected();
    }

    void on_lost(const std::string& cause) noexcept {
        is_connected = false;
        try {
            push(Disconnected{cause.empty() ? std::string{"connection lost"} : cause});
        } catch (...) {
        }
    }

    void on_message(const ::mqtt::const_message_ptr& m) noexcept {
        if (!m) return;
        try {
            push(Message{m->get_topic(), m->get_payload_str(), m->is_retained()});
        } catch (...) {
        }
    }

    // iaction_listener for connect(): only failures matter, success arrives via on_connected.
    void on_failure(const ::mqtt::token&) override { schedule_retry(); }
    void on_success(const ::mqtt::token&) override {}

    void schedule_retry() noexcept {
        try {
            const std::lock_guard lk(retry_mu);
            retry_needed = true;
        } catch (...) {
        }
        retry_cv.notify_one();
    }

    void start_connect() {
        if (closed || cli.is_connected() || first_connect_done) return;
        try {
            auto tok = cli.connect(conn_opts, nullptr, *this);
            const std::lock_guard lk(retry_mu);
            connect_token = std::move(tok);
        } catch (const std::exception&) {
            schedule_retry();
        }
    }

    // Retries the initial connect with the same backoff Paho uses for reconnects. Once a
    // connection succeeded, Paho's automatic reconnect owns reconnection.
    void retry_loop() {
        auto delay = opts.min_retry;
        std::unique_lock lk(retry_mu);
        for (;;) {
            retry_cv.wait(lk, [&] { return stopping || retry_needed; });
            if (stopping) return;
            retry_needed = false;
            if (retry_cv.wait_for(lk, delay, [&] { return stopping; })) return;
            delay = std::min(delay * 2, opts.max_retry);
            lk.unlock();
            start_connect();
            lk.lock();
        }
    }

    void stop_retrying() {
        {
            const std::lock_guard lk(retry_mu);
            stopping = true;
        }
        retry_cv.notify_one();
        if (retry_thread.joinable()) retry_thread.join();
    }

    bool disconnect(std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        bool delivered = true;
        try {
            for (const auto& tok : cli.get_pending_delivery_tokens()) {
                if (!tok || !tok->wait_until(deadline)) delivered = false;
            }
        } catch (const std::exception&) {
            delivered = false;
        }
        try {
            // Also stops Paho's reconnect loop when we are currently disconnected.
            const auto left = std::max(std::chrono::milliseconds(100),
                                       std::chrono::duration_cast<std::chrono::milliseconds>(
                                           deadline - std::chrono::steady_clock::now()));
            cli.disconnect(left)->wait_for(left);
        } catch (const std::exception&) {
        }
        is_connected = false;
        return delivered;
    }
};

PahoBus::PahoBus(PahoBusOptions options) {
    if (options.client_id.empty()) throw std::invalid_argument("PahoBus: empty client_id");
    try {
        impl_ = std::make_unique<Impl>(std::move(options));
    } catch (const ::mqtt::exception& e) {
        throw std::invalid_argument(std::string{"PahoBus: "} + e.what());
    }
}

PahoBus::~PahoBus() = default;

std::uint64_t PahoBus::publish(const std::string& topic, std::string payload, bool retain) {
    static_assert(sizeof(std::uintptr_t) >= sizeof(std::uint64_t),
                  "the delivery id travels as a pointer-sized token context");
    const std::uint64_t id = impl_->next_id.fetch_add(1, std::memory_order_relaxed);
    if (impl_->closed) return id;  // dropped: never Delivered
    try {
        // NOLINTNEXTLINE(performance-no-int-to-ptr): an integer id, never dereferenced
        auto* context = reinterpret_cast<void*>(static_cast<std::uintptr_t>(id));
        impl_->cli.publish(topic, payload.data(), payload.size(), qos, retain, context,
                           impl_->delivered);
        return id;
    } catch (const ::mqtt::exception& e) {
        // A down broker is normal: those codes mean "not buffered right now", never fatal.
        const int rc = e.get_return_code();
        if (rc == MQTTASYNC_DISCONNECTED || rc == MQTTASYNC_MAX_BUFFERED_MESSAGES) return id;
        throw std::runtime_error(std::string{"publish to "} + topic + ": " + e.what());
    }
}

int PahoBus::fd() const {
    return impl_->efd.get();
}

std::vector<BusEvent> PahoBus::drain() {
    const std::lock_guard lk(impl_->mu);
    impl_->efd.reset();
    return std::exchange(impl_->pending, {});
}

bool PahoBus::connected() const {
    return impl_->is_connected;
}

bool PahoBus::close(std::chrono::milliseconds timeout) {
    impl_->stop_retrying();
    if (impl_->closed.exchange(true)) return true;
    return impl_->disconnect(timeout);
}

}  // namespace cashbridge::mqtt
