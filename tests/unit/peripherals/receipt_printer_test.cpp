// ReceiptPrinter with a scripted port: status answers decide what is printed and what the
// state shows, and print() never waits for the printer.
#include "cashbridge/peripherals/receipt_printer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "cashbridge/peripherals/escpos_encoder.hpp"

namespace cashbridge::peripherals {
namespace {

using namespace std::chrono_literals;

/// What the fake printer knows; shared between the test and the port the printer opens.
struct FakePrinter {
    std::mutex mutex;
    std::uint8_t printer_status = 0x12;  // DLE EOT 1 answer
    std::uint8_t paper_status = 0x12;    // DLE EOT 4 answer
    bool answers = true;
    std::string printed;  // everything but status queries
    std::string last_query;
};

class FakePort final : public ReceiptPort {
  public:
    explicit FakePort(FakePrinter& p) : p_(p) {}
    void write(std::string_view bytes, std::chrono::milliseconds) override {
        std::lock_guard lock(p_.mutex);
        if (bytes.size() == 3 && bytes[0] == 0x10 && bytes[1] == 0x04)
            p_.last_query = std::string(bytes);
        else
            p_.printed += bytes;
    }
    std::optional<std::uint8_t> read_byte(std::chrono::milliseconds) override {
        std::lock_guard lock(p_.mutex);
        if (!p_.answers || p_.last_query.empty()) return std::nullopt;
        const auto n = p_.last_query[2];
        p_.last_query.clear();
        return n == 1 ? p_.printer_status : p_.paper_status;
    }
    void discard_input() override {}

  private:
    FakePrinter& p_;
};

template <class F>
bool eventually(F f) {
    for (int i = 0; i < 300; ++i) {
        if (f()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

struct PrinterTest : ::testing::Test {
    std::ostringstream log_text;
    bridge::Logger log{log_text, bridge::LogLevel::debug};
    FakePrinter fake;
    bridge::ReceiptConfig config;
    PrinterTest() {
        config.status_interval = 1s;
        config.status_timeout = 50ms;
        config.queue_max = 2;
    }
    std::unique_ptr<ReceiptPrinter> make(bridge::Journal* journal = nullptr) {
        return std::make_unique<ReceiptPrinter>([this] { return std::make_unique<FakePort>(fake); },
                                                config, log, journal);
    }
    std::string printed() {
        std::lock_guard lock(fake.mutex);
        return fake.printed;
    }
};

TEST_F(PrinterTest, ConditionFollowsTheStatusAnswers) {
    const struct {
        std::uint8_t printer, paper;
        bool answers;
        PrinterCondition want;
    } cases[] = {
        {0x12, 0x12, true, PrinterCondition::ready},
        {0x12, 0x1e, true, PrinterCondition::paper_low},
        {0x1a, 0x72, true, PrinterCondition::out_of_paper},
        {0x1a, 0x12, true, PrinterCondition::offline},
        {0x12, 0x12, false, PrinterCondition::offline},
        {0x00, 0x12, true, PrinterCondition::offline},  // garbage is no answer
    };
    for (const auto& c : cases) {
        {
            std::lock_guard lock(fake.mutex);
            fake.printer_status = c.printer;
            fake.paper_status = c.paper;
            fake.answers = c.answers;
        }
        auto printer = make();
        EXPECT_TRUE(eventually([&] { return printer->condition() == c.want; }))
            << int(c.printer) << "/" << int(c.paper) << " -> " << to_string(printer->condition());
    }
}

TEST_F(PrinterTest, PrintsWhenReady) {
    auto printer = make();
    printer->print("sale:p1", "receipt-1");
    EXPECT_TRUE(eventually([&] { return printer->printed() == 1; }));
    EXPECT_EQ(printed(), "receipt-1");
}

TEST_F(PrinterTest, ReceiptsWaitWithoutPaperAndComeOutWhenItIsBack) {
    fake.paper_status = 0x72;
    fake.printer_status = 0x1a;
    auto printer = make();
    printer->print("sale:p1", "receipt-1");  // returns: a print inline would wait for paper forever
    EXPECT_TRUE(eventually([&] { return printer->condition() == PrinterCondition::out_of_paper; }));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(printed(), "");
    EXPECT_EQ(printer->queued(), 1u);
    {
        std::lock_guard lock(fake.mutex);
        fake.paper_status = 0x12;
        fake.printer_status = 0x12;
    }
    EXPECT_TRUE(eventually([&] { return printer->printed() == 1; }));
    EXPECT_EQ(printed(), "receipt-1");
    EXPECT_EQ(printer->condition(), PrinterCondition::ready);
}

TEST_F(PrinterTest, QueueBeyondItsBoundDropsTheOldest) {
    fake.answers = false;
    auto printer = make();
    printer->print("sale:a", "a");
    printer->print("sale:b", "b");
    printer->print("sale:c", "c");
    EXPECT_EQ(printer->dropped(), 1);
    EXPECT_EQ(printer->queued(), 2u);
    {
        std::lock_guard lock(fake.mutex);
        fake.answers = true;
    }
    EXPECT_TRUE(eventually([&] { return printer->printed() == 2; }));
    EXPECT_EQ(printed(), "bc");
}

TEST_F(PrinterTest, AMissingDeviceIsReportedAndRetried) {
    std::atomic<int> opens = 0;
    ReceiptPrinter printer(
        [&opens]() -> std::unique_ptr<ReceiptPort> {
            ++opens;
            throw std::system_error(ENOENT, std::generic_category(), "open /dev/usb/lp0");
        },
        config, log);
    EXPECT_TRUE(eventually([&] { return printer.condition() == PrinterCondition::missing; }));
    EXPECT_TRUE(eventually([&] { return opens >= 2; }));
    EXPECT_NE(log_text.str().find("/dev/usb/lp0"), std::string::npos);
}

/// A real journal in a fresh folder: the receipts' fate as the daemon records it.
struct JournalDir {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("cb-receipts-" + std::to_string(::getpid()) + "-" +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    JournalDir() { std::filesystem::create_directories(dir); }
    ~JournalDir() { std::filesystem::remove_all(dir); }
    std::filesystem::path file() const { return dir / "journal.db"; }
};

void due(bridge::Journal& j, const std::string& payment) {
    ASSERT_TRUE(j.receipt_due({"sale:" + payment, payment, false, 250, 1'700'000'000}));
}

TEST_F(PrinterTest, APrintedReceiptIsRecordedAsPrinted) {
    JournalDir d;
    bridge::Journal journal(d.file(), 10);
    due(journal, "p1");
    auto printer = make(&journal);
    printer->print("sale:p1", "receipt-1");
    EXPECT_TRUE(eventually([&] { return printer->printed() == 1; }));
    printer.reset();  // joins the thread: its journal writes are done
    EXPECT_EQ(journal.receipt_state("sale:p1"), bridge::ReceiptState::printed);
    EXPECT_TRUE(journal.recover_receipts().pending.empty());
}

TEST_F(PrinterTest, ReceiptsQueuedAtStopStayDueButADroppedOneIsGivenUp) {
    JournalDir d;
    {
        bridge::Journal journal(d.file(), 10);
        for (const auto* p : {"a", "b", "c"}) due(journal, p);
        fake.answers = false;  // switched off: nothing prints
        auto printer = make(&journal);
        printer->print("sale:a", "a");
        printer->print("sale:b", "b");
        printer->print("sale:c", "c");  // queue_max 2: a is dropped
        EXPECT_EQ(printer->dropped(), 1);
    }  // the daemon stops
    EXPECT_NE(log_text.str().find("printed after the restart"), std::string::npos);
    bridge::Journal journal(d.file(), 10);
    EXPECT_EQ(journal.receipt_state("sale:a"), bridge::ReceiptState::dropped);
    const auto found = journal.recover_receipts();
    ASSERT_EQ(found.pending.size(), 2u);
    EXPECT_EQ(found.pending[0].key, "sale:b");
    EXPECT_EQ(found.pending[1].key, "sale:c");
    EXPECT_EQ(printed(), "");
}

}  // namespace
}  // namespace cashbridge::peripherals
