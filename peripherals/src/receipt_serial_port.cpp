// The serial transport of the receipt printer (over the project's SerialPort), and the
// choice between the transports the config names.
#include <poll.h>

#include "cashbridge/peripherals/receipt_port.hpp"
#include "cashbridge/peripherals/serial_port.hpp"
#include "receipt_deadline.hpp"

namespace cashbridge::peripherals {
namespace {

using Clock = PortClock;

/// Waits for `events` on the port; false on timeout.
bool wait_for(const SerialPort& port, short events, Clock::time_point deadline) {
    pollfd p{port.fd(), events, 0};
    return ::poll(&p, 1, ms_left(deadline)) > 0;
}

class SerialReceiptPort final : public ReceiptPort {
  public:
    explicit SerialReceiptPort(SerialPort port) : port_(std::move(port)) {}

    void write(std::string_view bytes, std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        while (!bytes.empty()) {
            const auto n = port_.write(std::span<const char>(bytes.data(), bytes.size()));
            bytes.remove_prefix(n);
            if (!bytes.empty() && n == 0 && !wait_for(port_, POLLOUT, deadline))
                throw SerialError(port_.path(), "printer took no data for " +
                                                    std::to_string(timeout.count()) + " ms");
        }
    }

    std::optional<std::uint8_t> read_byte(std::chrono::milliseconds timeout) override {
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            char b = 0;
            if (port_.read(std::span<char>(&b, 1)) == 1) return static_cast<std::uint8_t>(b);
            if (!wait_for(port_, POLLIN, deadline)) return std::nullopt;
        }
    }

    void discard_input() override {
        char buf[256];
        while (port_.read(std::span<char>(buf, sizeof buf)) > 0) {
        }
    }

  private:
    SerialPort port_;
};

}  // namespace

std::unique_ptr<ReceiptPort> open_receipt_port(const bridge::ReceiptConfig& config) {
    if (config.transport == bridge::PrinterTransport::file) return open_file_port(config.device);
    SerialSettings s;
    s.baud = config.baud;
    s.flow_control = config.rtscts ? FlowControl::rts_cts : FlowControl::none;
    return std::make_unique<SerialReceiptPort>(SerialPort::open(config.device.string(), s));
}

}  // namespace cashbridge::peripherals
