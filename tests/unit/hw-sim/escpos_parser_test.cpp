// The sim's ESC/POS parser against the daemon's encoder: receipts survive the round trip
// whole and split at every byte, status queries are found, bad streams are reported.
#include "cashbridge/sim/escpos_parser.hpp"

#include <gtest/gtest.h>

#include "cashbridge/peripherals/escpos_encoder.hpp"
#include "cashbridge/peripherals/receipt_layout.hpp"
#include "cashbridge/sim/sim_printer.hpp"

namespace cashbridge::sim {
namespace {

namespace esc = peripherals::escpos;

peripherals::ReceiptData sale(std::string payment_id) {
    peripherals::ReceiptData d;
    d.machine = "Snack machine";
    d.machine_id = "vend-7";
    d.unix_time = 1714557600;
    d.amount = 250;
    d.currency = "EUR";
    d.payment_type = "QR code";
    d.payment_id = std::move(payment_id);
    return d;
}

TEST(EscPosParser, ReceiptsRoundTripToTheirLinesAndQr) {
    bridge::ReceiptConfig narrow;
    narrow.header = {"Cafe", "Main Street 1"};
    bridge::ReceiptConfig wide;
    wide.width = 48;
    wide.qr_module = 9;
    wide.qr_ec = bridge::QrErrorCorrection::h;
    auto refund = sale("pay-0001");
    refund.kind = peripherals::ReceiptKind::refund;
    const struct {
        const char* legend;
        peripherals::ReceiptData data;
        bridge::ReceiptConfig config;
        int module;
        char level;
    } cases[] = {
        {"58 mm with header", sale("pay-8f3a"), narrow, 6, 'M'},
        {"80 mm, no header, H", sale("pay-8f3a"), wide, 9, 'H'},
        {"id longer than a line", sale(std::string(70, 'p')), narrow, 6, 'M'},
        {"refund slip", refund, narrow, 6, 'M'},
    };
    for (const auto& c : cases) {
        const auto bytes = peripherals::encode_receipt(c.data, c.config);
        const auto want = peripherals::receipt_lines(c.data, c.config);
        // Whole, then one byte at a time (a serial port delivers any split).
        for (const bool bytewise : {false, true}) {
            EscPosParser p;
            if (bytewise)
                for (const char b : bytes) EXPECT_TRUE(p.feed(std::string_view(&b, 1)).empty());
            else
                EXPECT_TRUE(p.feed(bytes).empty());
            const auto receipts = p.take_receipts();
            ASSERT_EQ(receipts.size(), 1u) << c.legend;
            EXPECT_EQ(receipts[0].lines, want) << c.legend;
            ASSERT_EQ(receipts[0].qr_codes.size(), 1u) << c.legend;
            EXPECT_EQ(receipts[0].qr_codes[0].payload, c.data.payment_id) << c.legend;
            EXPECT_EQ(receipts[0].qr_codes[0].model, 2) << c.legend;
            EXPECT_EQ(receipts[0].qr_codes[0].module, c.module) << c.legend;
            EXPECT_EQ(receipts[0].qr_codes[0].error_correction, c.level) << c.legend;
            EXPECT_TRUE(receipts[0].cut);
            EXPECT_TRUE(p.errors().empty()) << c.legend << ": " << p.errors().front();
        }
    }
}

TEST(EscPosParser, FindsStatusQueriesBetweenReceipts) {
    EscPosParser p;
    const auto stream = esc::status_query(esc::StatusKind::printer) +
                        esc::Encoder().init().line("a").cut().bytes() +
                        esc::status_query(esc::StatusKind::paper);
    EXPECT_EQ(p.feed(stream), (std::vector<std::uint8_t>{1, 4}));
    const auto r = p.take_receipts();
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].lines, std::vector<std::string>{"a"});
}

TEST(EscPosParser, ReportsWhatItDoesNotUnderstand) {
    const struct {
        const char* legend;
        std::string bytes;
        const char* error;  // start of the error text
    } cases[] = {
        {"unknown ESC", "\x1b\x7a", "unknown command 1b 7a"},
        {"stray control byte", std::string("x\x07y\n"), "unexpected control byte 07"},
        {"QR print before store",
         std::string("\x1d(k\x03\x00"
                     "1Q0",
                     8),
         "QR print with nothing"},
        {"QR bad module",
         std::string("\x1d(k\x03\x00"
                     "1C\x00",
                     8),
         "QR module size"},
        {"not QR (cn)",
         std::string("\x1d(k\x03\x00"
                     "2Q0",
                     8),
         "GS ( k: not a QR"},
        {"unknown DLE", std::string("\x10\x05\x01", 3), "unknown DLE command"},
    };
    for (const auto& c : cases) {
        EscPosParser p;
        p.feed(c.bytes);
        ASSERT_FALSE(p.errors().empty()) << c.legend;
        EXPECT_EQ(p.errors()[0].rfind(c.error, 0), 0u) << c.legend << ": " << p.errors()[0];
    }
}

TEST(SimPrinter, StatusAnswersMatchWhatTheDaemonDecodes) {
    const struct {
        PrinterMode mode;
        bool offline, paper_out, near_end;
    } cases[] = {
        {PrinterMode::ready, false, false, false},
        {PrinterMode::offline, true, false, false},
        {PrinterMode::paper_out, true, true, true},
        {PrinterMode::paper_low, false, false, true},
    };
    for (const auto& c : cases) {
        esc::PrinterStatus s;
        ASSERT_TRUE(esc::apply_status(esc::StatusKind::printer, *status_answer(c.mode, 1), s));
        ASSERT_TRUE(esc::apply_status(esc::StatusKind::paper, *status_answer(c.mode, 4), s));
        EXPECT_EQ(s.offline, c.offline) << to_string(c.mode);
        EXPECT_EQ(s.paper_out, c.paper_out) << to_string(c.mode);
        EXPECT_EQ(s.paper_near_end, c.near_end) << to_string(c.mode);
    }
    EXPECT_FALSE(status_answer(PrinterMode::silent, 1));
    EXPECT_FALSE(status_answer(PrinterMode::ready, 9));
}

}  // namespace
}  // namespace cashbridge::sim
