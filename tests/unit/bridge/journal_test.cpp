// Journal: what is written survives reopening; damage and foreign files stop the daemon.
#include "cashbridge/bridge/journal.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fstream>

#include "bridge_fixture.hpp"

namespace cashbridge::bridge {
namespace {

using TempFile = BridgeFixture::TempJournalFile;

JournalCredit credit(const std::string& id, std::int64_t amount) {
    JournalCredit c;
    c.payment = id;
    c.session = "s1";
    c.amount = amount;
    c.currency = "EUR";
    c.token_exp = 2'000'000'000;
    return c;
}

std::string expect_error(const std::filesystem::path& file) {
    try {
        Journal j(file, 100);
    } catch (const JournalError& e) {
        return e.what();
    }
    ADD_FAILURE() << "journal opened " << file;
    return {};
}

TEST(Journal, PaymentsAndPulsesSurviveReopening) {
    TempFile f;
    {
        Journal j(f.file, 100);
        EXPECT_TRUE(j.accept(credit("p1", 30)));
        EXPECT_FALSE(j.accept(credit("p1", 30)));
        j.pulse_started("p1", {0, 0, 10});
        j.pulse_ended("p1", 0);
        j.pulse_started("p1", {1, 0, 10});
    }
    Journal j(f.file, 100);
    const auto c = j.find("p1");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->status, CreditStatus::delivering);
    EXPECT_EQ(c->delivered, 10);
    EXPECT_EQ(c->next_pulse, 2);
    ASSERT_EQ(j.unfinished().size(), 1u);
    const auto cut = j.settle_ambiguous("p1");
    ASSERT_EQ(cut.size(), 1u);
    EXPECT_EQ(cut[0].index, 1);
    EXPECT_EQ(j.find("p1")->ambiguous, 10);
    EXPECT_TRUE(j.settle_ambiguous("p1").empty());  // settled once, never again
    j.pulse_ended("p1", 1);                         // a late "ended" must not count it twice
    EXPECT_EQ(j.find("p1")->delivered, 10);
    j.finish("p1", CreditStatus::delivered, "");
    EXPECT_TRUE(j.unfinished().empty());
}

TEST(Journal, AnUncertainPulseIsAmbiguousNotDeliveredAndNeverResettled) {
    TempFile f;
    Journal j(f.file, 100);
    ASSERT_TRUE(j.accept(credit("p1", 30)));
    j.pulse_started("p1", {0, 0, 10});
    j.pulse_ended("p1", 0);
    j.pulse_started("p1", {1, 0, 10});
    j.pulse_uncertain("p1", 1);
    j.pulse_started("p1", {2, 0, 10});
    j.pulse_ended("p1", 2);
    const auto c = j.find("p1");
    EXPECT_EQ(c->delivered, 20);
    EXPECT_EQ(c->ambiguous, 10);
    EXPECT_TRUE(j.settle_ambiguous("p1").empty());  // already settled as ambiguous
    EXPECT_EQ(j.find("p1")->ambiguous, 10);
}

TEST(Journal, AWithdrawnPulseIsNotAmbiguousAfterARestart) {
    TempFile f;
    {
        Journal j(f.file, 100);
        ASSERT_TRUE(j.accept(credit("p1", 20)));
        j.pulse_started("p1", {0, 0, 10});
        j.pulse_withdrawn("p1", 0);  // INHIBIT came first
    }
    Journal j(f.file, 100);
    EXPECT_TRUE(j.settle_ambiguous("p1").empty());
    EXPECT_EQ(j.find("p1")->ambiguous, 0);
    j.pulse_started("p1", {0, 0, 10});  // and it can start for real later
    j.pulse_ended("p1", 0);
    EXPECT_EQ(j.find("p1")->delivered, 10);
}

TEST(Journal, APulseEndAndTheNextStartAreOneStepThatSurvivesACrash) {
    TempFile f;
    {
        Journal j(f.file, 100);
        ASSERT_TRUE(j.accept(credit("p1", 30)));
        j.pulse_started("p1", {0, 0, 10});
        j.pulse_ended_next_started("p1", 0, true, {1, 0, 10});
        j.pulse_ended_next_started("p1", 1, false, {2, 0, 10});
    }  // the process dies in the gap before pulse 2
    Journal j(f.file, 100);
    const auto c = j.find("p1");
    EXPECT_EQ(c->delivered, 10);
    EXPECT_EQ(c->ambiguous, 10);
    EXPECT_EQ(c->next_pulse, 3);  // pulse 2 is never played again
    const auto cut = j.settle_ambiguous("p1");
    ASSERT_EQ(cut.size(), 1u);
    EXPECT_EQ(cut[0].index, 2);
    EXPECT_EQ(j.find("p1")->ambiguous, 20);
}

TEST(Journal, AFinishedCreditAndItsReportAreWrittenTogether) {
    TempFile f;
    std::int64_t row = 0;
    {
        Journal j(f.file, 100);
        ASSERT_TRUE(j.accept(credit("p1", 10)));
        row = j.finish_and_report("p1", CreditStatus::delivered, "", "up/credit", "{\"p\":1}");
    }  // the process dies before publishing
    Journal j(f.file, 100);
    EXPECT_EQ(j.find("p1")->status, CreditStatus::delivered);
    const auto rows = j.outbox_rows();
    ASSERT_EQ(rows.size(), 1u);  // so the report still goes out on the next connect
    EXPECT_EQ(rows[0].id, row);
    EXPECT_EQ(rows[0].topic, "up/credit");
    EXPECT_EQ(rows[0].payload, "{\"p\":1}");
}

TEST(Journal, UsesWalWithFullSyncAndAVersionedSchema) {
    TempFile f;
    { Journal j(f.file, 100); }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(f.file.c_str(), &db), SQLITE_OK);
    auto scalar = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
        sqlite3_step(st);
        std::string v = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return v;
    };
    EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(scalar("PRAGMA user_version"), std::to_string(Journal::schema_version));
    sqlite3_close(db);
}

TEST(Journal, DamagedFileStopsWithAClearError) {
    TempFile f;
    std::ofstream(f.file) << std::string(8192, 'x');
    const auto e = expect_error(f.file);
    EXPECT_NE(e.find(f.file.string()), std::string::npos) << e;
}

TEST(Journal, ForeignDatabaseIsRefused) {
    TempFile f;
    sqlite3* db = nullptr;
    sqlite3_open(f.file.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE photos(id INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_NE(expect_error(f.file).find("not a cashbridge journal"), std::string::npos);
}

TEST(Journal, NewerSchemaIsRefused) {
    TempFile f;
    { Journal j(f.file, 100); }
    sqlite3* db = nullptr;
    sqlite3_open(f.file.c_str(), &db);
    sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_NE(expect_error(f.file).find("newer than this cashbridged"), std::string::npos);
}

TEST(Journal, OutboxIsBoundedAndDropsEventsFirst) {
    TempFile f;
    Journal j(f.file, 10);
    j.outbox_push("t/credit", "credit-0", false, false);
    for (int i = 0; i < 12; ++i)
        j.outbox_push("t/events", "event-" + std::to_string(i), false, true);
    EXPECT_EQ(j.outbox_size(), 10);
    EXPECT_EQ(j.outbox_dropped(), 3);
    const auto rows = j.outbox_rows();
    EXPECT_EQ(rows.front().payload, "credit-0");  // the credit report survived
    EXPECT_EQ(rows.back().payload, "event-11");
    j.outbox_delete(rows.front().id);
    EXPECT_EQ(j.outbox_size(), 9);
}

TEST(Journal, SessionsRememberWhyTheyClosed) {
    TempFile f;
    Journal j(f.file, 10);
    j.session_opened({"s1", 200, 2'000'000'000, "qr1"});
    j.session_opened({"s2", std::nullopt, 2'000'000'000, "qr2"});
    j.session_closed("s1", "expired");
    EXPECT_EQ(j.session_close_reason("s1"), "expired");
    EXPECT_EQ(j.session_close_reason("s2"), "open");
    EXPECT_FALSE(j.session_close_reason("nope"));
    ASSERT_EQ(j.open_sessions().size(), 1u);
    EXPECT_FALSE(j.open_sessions()[0].amount);
}

JournalReceipt receipt(const std::string& payment, std::int64_t issued_at) {
    return {"sale:" + payment, payment, false, 250, issued_at};
}

TEST(Journal, AReceiptIsDueOnceAndItsFateSurvivesARestart) {
    TempFile f;
    {
        Journal j(f.file, 10);
        EXPECT_TRUE(j.receipt_due(receipt("p1", 1'700'000'000)));
        EXPECT_FALSE(j.receipt_due(receipt("p1", 1'700'000'099)));  // the report, re-sent
        EXPECT_TRUE(j.receipt_due(receipt("p2", 1'700'000'100)));
        EXPECT_TRUE(j.receipt_due({"refund:p1", "p1", true, 50, 1'700'000'200}));
        j.receipt_state("sale:p1", ReceiptState::printing);
        j.receipt_state("sale:p1", ReceiptState::printed);
        EXPECT_EQ(j.receipt_state("sale:p1"), ReceiptState::printed);
    }  // the daemon stops with p2 and the refund still due
    Journal j(f.file, 10);
    EXPECT_FALSE(j.receipt_due(receipt("p1", 1'700'000'300)));  // printed before: never again
    const auto found = j.recover_receipts();
    EXPECT_EQ(found.interrupted, 0);
    ASSERT_EQ(found.pending.size(), 2u);
    EXPECT_EQ(found.pending[0].key, "sale:p2");
    EXPECT_EQ(found.pending[0].amount, 250);
    EXPECT_EQ(found.pending[0].issued_at, 1'700'000'100);  // the payment's date, not today's
    EXPECT_FALSE(found.pending[0].refund);
    EXPECT_EQ(found.pending[1].key, "refund:p1");
    EXPECT_TRUE(found.pending[1].refund);
    EXPECT_FALSE(j.receipt_state("sale:p9"));
}

TEST(Journal, AReceiptCutOffMidPrintIsNotPrintedAgain) {
    TempFile f;
    {
        Journal j(f.file, 10);
        ASSERT_TRUE(j.receipt_due(receipt("p1", 1'700'000'000)));
        ASSERT_TRUE(j.receipt_due(receipt("p2", 1'700'000'000)));
        j.receipt_state("sale:p1", ReceiptState::printing);  // killed while it printed
        j.receipt_state("sale:p2", ReceiptState::dropped);   // given up: queue full
    }
    Journal j(f.file, 10);
    const auto found = j.recover_receipts();
    EXPECT_EQ(found.interrupted, 1);
    EXPECT_TRUE(found.pending.empty());
    EXPECT_EQ(j.receipt_state("sale:p1"), ReceiptState::failed);
    EXPECT_EQ(j.receipt_state("sale:p2"), ReceiptState::dropped);
    EXPECT_EQ(j.recover_receipts().interrupted, 0);
}

TEST(Journal, AVersionOneJournalGainsReceiptsAndKeepsItsCredits) {
    TempFile f;
    {
        Journal j(f.file, 10);
        ASSERT_TRUE(j.accept(credit("p1", 30)));
    }
    // Back to what a version-1 daemon left: its schema is version 2's without receipts.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(f.file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db, "DROP TABLE receipts; PRAGMA user_version=1", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);

    Journal j(f.file, 10);
    ASSERT_TRUE(j.find("p1"));
    EXPECT_EQ(j.find("p1")->amount, 30);
    EXPECT_TRUE(j.receipt_due(receipt("p1", 1'700'000'000)));
    EXPECT_EQ(j.recover_receipts().pending.size(), 1u);
}

}  // namespace
}  // namespace cashbridge::bridge
