// ESC/POS encoder: each command's exact bytes, and the status byte rules.
#include "cashbridge/peripherals/escpos_encoder.hpp"

#include <gtest/gtest.h>

namespace cashbridge::peripherals::escpos {
namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s += static_cast<char>(x);
    return s;
}

TEST(EscPosEncoder, CommandsAreTheDocumentedBytes) {
    const struct {
        const char* what;
        std::string got;
        std::string want;
    } cases[] = {
        {"init", Encoder().init().bytes(), bytes({0x1b, 0x40})},
        {"center", Encoder().align(Align::center).bytes(), bytes({0x1b, 0x61, 1})},
        {"bold on", Encoder().bold(true).bytes(), bytes({0x1b, 0x45, 1})},
        {"double size", Encoder().double_size(true).bytes(), bytes({0x1d, 0x21, 0x11})},
        {"line", Encoder().line("Hi 1").bytes(), "Hi 1\n"},
        {"non-ASCII", Encoder().line("\xc3\xa9\t").bytes(), "???\n"},
        {"feed", Encoder().feed(3).bytes(), bytes({0x1b, 0x64, 3})},
        {"cut", Encoder().cut().bytes(), bytes({0x1d, 0x56, 0x42, 3})},
        {"status printer", status_query(StatusKind::printer), bytes({0x10, 0x04, 1})},
        {"status paper", status_query(StatusKind::paper), bytes({0x10, 0x04, 4})},
    };
    for (const auto& c : cases) EXPECT_EQ(c.got, c.want) << c.what;
}

TEST(EscPosEncoder, QrIsModelSizeLevelStorePrint) {
    const auto got = Encoder().qr("AB", 6, QrLevel::q).bytes();
    const auto want = bytes({0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0,         // model 2
                             0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, 6,               // module 6
                             0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x32,            // level Q
                             0x1d, 0x28, 0x6b, 5, 0, 0x31, 0x50, 0x30, 'A', 'B',  // store
                             0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30});          // print
    EXPECT_EQ(got, want);
}

TEST(EscPosEncoder, QrLengthUsesBothLengthBytes) {
    const std::string payload(300, 'x');
    const auto got = Encoder().qr(payload, 3, QrLevel::m).bytes();
    const auto store = got.find(bytes({0x31, 0x50, 0x30}));
    ASSERT_NE(store, std::string::npos);
    EXPECT_EQ(static_cast<unsigned char>(got[store - 2]), (303 & 0xff));
    EXPECT_EQ(static_cast<unsigned char>(got[store - 1]), (303 >> 8));
    EXPECT_THROW(Encoder().qr("", 3, QrLevel::m), std::invalid_argument);
    EXPECT_THROW(Encoder().qr(std::string(qr_max_payload + 1, 'x'), 3, QrLevel::m),
                 std::invalid_argument);
}

TEST(EscPosStatus, AnswerBytesDecode) {
    const struct {
        StatusKind kind;
        int byte;
        bool valid, offline, paper_out, near_end;
    } cases[] = {
        // kind             byte  valid offline paper_out near_end
        {StatusKind::printer, 0x12, true, false, false, false},
        {StatusKind::printer, 0x1a, true, true, false, false},
        {StatusKind::paper, 0x12, true, false, false, false},
        {StatusKind::paper, 0x1e, true, false, false, true},
        {StatusKind::paper, 0x72, true, false, true, false},
        {StatusKind::paper, 0x7e, true, false, true, true},
        {StatusKind::printer, 0x00, false, false, false, false},  // bits 1 and 4 must be set
        {StatusKind::printer, 0x93, false, false, false, false},  // bits 0 and 7 must be clear
        {StatusKind::paper, 'A', false, false, false, false},     // text, not an answer
    };
    for (const auto& c : cases) {
        PrinterStatus s;
        EXPECT_EQ(apply_status(c.kind, static_cast<std::uint8_t>(c.byte), s), c.valid) << c.byte;
        EXPECT_EQ(s.offline, c.offline) << c.byte;
        EXPECT_EQ(s.paper_out, c.paper_out) << c.byte;
        EXPECT_EQ(s.paper_near_end, c.near_end) << c.byte;
    }
}

}  // namespace
}  // namespace cashbridge::peripherals::escpos
