/// @file pos_bus_tap.hpp
/// A MessageBus in front of the real one that watches what the bridge publishes and feeds
/// the LAN peripherals from it: session.open becomes a POS order datagram, the payment's
/// outcome a POS result datagram and, for credit.delivered, a receipt. It also adds the
/// peripherals' condition and counters to the retained state report. The bridge itself
/// knows nothing of POS terminals or printers. Receipts due are recorded in the journal
/// first: a report re-sent after a restart prints nothing twice, and a receipt still due
/// at a restart is printed then.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "cashbridge/bridge/config.hpp"
#include "cashbridge/bridge/journal.hpp"
#include "cashbridge/bridge/logger.hpp"
#include "cashbridge/mqtt/bus.hpp"
#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/topics.hpp"
#include "cashbridge/peripherals/pos_sender.hpp"
#include "cashbridge/peripherals/receipt_printer.hpp"

namespace cashbridge::peripherals {

class PosBusTap final : public mqtt::MessageBus {
  public:
    /// `pos` and `printer` may be null (that peripheral is not configured); all references
    /// must outlive the tap. With a printer, the receipts the journal still has due (from
    /// before a restart) are queued at once.
    PosBusTap(mqtt::MessageBus& inner, const bridge::Config& config, PosSender* pos,
              ReceiptPrinter* printer, bridge::Journal& journal, bridge::Logger& log);

    /// Publishes through the inner bus first (nothing here may delay a report), then feeds
    /// the peripherals. Never throws for a peripheral's failure: it is logged and counted.
    std::uint64_t publish(const std::string& topic, std::string payload, bool retain) override;
    int fd() const override { return inner_.fd(); }
    std::vector<mqtt::BusEvent> drain() override { return inner_.drain(); }
    bool connected() const override { return inner_.connected(); }
    bool close(std::chrono::milliseconds timeout) override { return inner_.close(timeout); }

    /// Call from the event loop: re-publishes the last state report when a peripheral's
    /// condition changed, so an operator sees "out_of_paper" without waiting for the next
    /// periodic report.
    void tick();

  private:
    void observe_session(const std::string& payload);
    void observe_credit(const std::string& payload);
    void send_pos(const std::string& datagram);
    void print_receipt(const std::string& payment, std::int64_t amount, bool refund);
    void queue_receipt(const bridge::JournalReceipt& r);
    void resume_receipts();
    void remember_session(const std::string& payment, const std::string& session);
    std::optional<std::string> session_of(const std::optional<std::string>& payment) const;
    std::string enrich(mqtt::StateReport report);
    std::map<std::string, std::string> conditions() const;

    mqtt::MessageBus& inner_;
    const bridge::Config& config_;
    PosSender* pos_;
    ReceiptPrinter* printer_;
    bridge::Journal& journal_;
    bridge::Logger& log_;
    mqtt::Topics topics_;
    std::map<std::string, std::string> session_by_payment_;
    std::deque<std::string> payment_order_;  // bounds session_by_payment_
    std::optional<mqtt::StateReport> last_state_;
    std::map<std::string, std::string> reported_;  // conditions in the last state report
};

}  // namespace cashbridge::peripherals
