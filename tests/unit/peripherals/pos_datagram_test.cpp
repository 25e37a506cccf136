// POS datagrams: exact encoding, round trips, refused input, and the documented examples.
#include "cashbridge/peripherals/pos_datagram.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cashbridge::peripherals {
namespace {

TEST(PosDatagram, EncodesCompactVersionedJson) {
    EXPECT_EQ(encode(PosOrder{"vend-1", "s1", 250, "EUR", 1714557600}),
              R"({"v":1,"type":"pos.order","machine":"vend-1","session":"s1","amount":250,)"
              R"("currency":"EUR","ts":1714557600})");
    EXPECT_EQ(encode(PosOrder{"vend-1", "s1", std::nullopt, "EUR", 1}),
              R"({"v":1,"type":"pos.order","machine":"vend-1","session":"s1","amount":null,)"
              R"("currency":"EUR","ts":1})");
    EXPECT_EQ(encode(PosResult{"m", std::nullopt, std::nullopt, "payment.rejected", 0, "EUR",
                               "bad_signature", 2}),
              R"({"v":1,"type":"pos.result","machine":"m","session":null,"payment":null,)"
              R"("result":"payment.rejected","amount":0,"currency":"EUR",)"
              R"("reason":"bad_signature","ts":2})");
}

TEST(PosDatagram, RoundTrips) {
    const PosDatagram cases[] = {
        PosOrder{"vend-0042", "a1b2", 200, "EUR", 1714557600},
        PosOrder{"m", "s", std::nullopt, "CNY", 0},
        PosResult{"m", "s", "pay-1", "credit.delivered", 200, "EUR", std::nullopt, 7},
        PosResult{"m", std::nullopt, "pay-2", "credit.failed", 500, "EUR", "delivery_timeout", 8},
    };
    for (const auto& d : cases) {
        std::string error;
        const auto back = decode_pos_datagram(encode(d), error);
        ASSERT_TRUE(back) << encode(d) << ": " << error;
        EXPECT_EQ(encode(*back), encode(d));
        EXPECT_LT(encode(d).size(), pos_datagram_max);
    }
}

TEST(PosDatagram, RefusesWhatIsNotADatagramNamingTheField) {
    const struct {
        const char* text;
        const char* error;
    } cases[] = {
        {"", "not a JSON object"},
        {"[1]", "not a JSON object"},
        {R"({"type":"pos.order"})", "v: missing"},
        {R"({"v":2,"type":"pos.order"})", "v: unsupported version 2"},
        {R"({"v":1,"type":"pos.refund"})", "type: unknown \"pos.refund\""},
        {R"({"v":1,"type":"pos.order","machine":"m","session":"s","amount":"2","currency":"EUR","ts":1})",
         "amount: expected an integer"},
        {R"({"v":1,"type":"pos.order","machine":"m","session":"s","amount":1.5,"currency":"EUR","ts":1})",
         "amount: expected an integer"},
        {R"({"v":1,"type":"pos.result","machine":"m","session":null,"payment":null,"amount":0,"currency":"EUR","reason":null,"ts":1})",
         "result: missing"},
    };
    for (const auto& c : cases) {
        std::string error;
        EXPECT_FALSE(decode_pos_datagram(c.text, error)) << c.text;
        EXPECT_EQ(error, c.error) << c.text;
    }
}

// The ```json lan blocks of docs/protocol.md are what an integrator codes against: each line
// must decode and re-encode to exactly the same bytes.
TEST(PosDatagram, ProtocolDocExamplesAreExactlyWhatTheEncoderProduces) {
    std::ifstream in{CASHBRIDGE_PROTOCOL_DOC};
    ASSERT_TRUE(in) << CASHBRIDGE_PROTOCOL_DOC;
    std::string line;
    bool in_block = false;
    int checked = 0;
    while (std::getline(in, line)) {
        if (line.rfind("```", 0) == 0) {
            in_block = !in_block && line == "```json lan";
            continue;
        }
        if (!in_block || line.empty()) continue;
        std::string error;
        const auto d = decode_pos_datagram(line, error);
        ASSERT_TRUE(d) << line << ": " << error;
        EXPECT_EQ(encode(*d), line);
        ++checked;
    }
    EXPECT_GE(checked, 4);
}

}  // namespace
}  // namespace cashbridge::peripherals
