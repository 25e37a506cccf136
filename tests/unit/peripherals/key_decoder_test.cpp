// KeyDecoder: key presses of a keyboard-wedge scanner to lines (US layout, Shift, keypad,
// Enter), and what it reports for keys it cannot read and lines that are too long.
#include "cashbridge/peripherals/key_decoder.hpp"

#include <gtest/gtest.h>
#include <linux/input-event-codes.h>

#include <optional>
#include <vector>

namespace cashbridge::peripherals {
namespace {

constexpr int release = 0, press = 1, repeat = 2;

// A key typed as a scanner types it: press, then release.
struct Typist {
    KeyDecoder decoder;
    std::vector<TypedLine> lines;

    void event(unsigned code, int value) {
        if (auto line = decoder.key(code, value)) lines.push_back(*line);
    }
    void tap(unsigned code) {
        event(code, press);
        event(code, release);
    }
    void shifted(unsigned code, unsigned shift = KEY_LEFTSHIFT) {
        event(shift, press);
        tap(code);
        event(shift, release);
    }
};

TEST(KeyDecoder, DigitsEndedByEnterAreOneLine) {
    Typist t{KeyDecoder(128), {}};
    for (unsigned k : {KEY_1, KEY_3, KEY_4, KEY_5, KEY_0, KEY_9}) t.tap(k);
    EXPECT_TRUE(t.lines.empty()) << "no line before Enter";
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "134509");
    EXPECT_TRUE(t.lines[0].clean());
}

TEST(KeyDecoder, ShiftGivesCapitalsAndSymbolsOnlyWhileHeld) {
    Typist t{KeyDecoder(128), {}};
    t.shifted(KEY_A);
    t.tap(KEY_B);
    t.shifted(KEY_C, KEY_RIGHTSHIFT);
    t.shifted(KEY_1);
    t.tap(KEY_1);
    t.shifted(KEY_MINUS);
    t.tap(KEY_SLASH);
    t.tap(KEY_KPENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "AbC!1_/");
}

TEST(KeyDecoder, BothShiftKeysMustBeReleased) {
    Typist t{KeyDecoder(128), {}};
    t.event(KEY_LEFTSHIFT, press);
    t.event(KEY_RIGHTSHIFT, press);
    t.event(KEY_LEFTSHIFT, release);
    t.tap(KEY_Z);  // right Shift still held
    t.event(KEY_RIGHTSHIFT, release);
    t.tap(KEY_Z);
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "Zz");
}

TEST(KeyDecoder, KeypadDigitsAreDigitsWithOrWithoutShiftOrNumLock) {
    Typist t{KeyDecoder(128), {}};
    t.tap(KEY_NUMLOCK);
    for (unsigned k : {KEY_KP2, KEY_KP8, KEY_KP0, KEY_KP7}) t.tap(k);
    t.shifted(KEY_KP5);
    t.tap(KEY_KPDOT);
    t.tap(KEY_KPENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "28075.");
    EXPECT_TRUE(t.lines[0].clean()) << "NumLock is a modifier, not an unknown key";
}

TEST(KeyDecoder, AutorepeatAndReleasesAddNothingAndEmptyLinesAreNoLines) {
    Typist t{KeyDecoder(128), {}};
    t.tap(KEY_ENTER);  // a lone Enter (some scanners send one on power-up)
    t.event(KEY_7, press);
    t.event(KEY_7, repeat);
    t.event(KEY_7, repeat);
    t.event(KEY_7, release);
    t.event(KEY_ENTER, repeat);
    EXPECT_TRUE(t.lines.empty());
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "7");
}

TEST(KeyDecoder, UnknownKeysAreCountedAndTheFirstNamed) {
    Typist t{KeyDecoder(128), {}};
    t.tap(KEY_1);
    t.tap(KEY_F5);
    t.tap(KEY_TAB);
    t.tap(KEY_2);
    t.tap(KEY_LEFTCTRL);  // modifiers are not unknown keys
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "12");
    EXPECT_EQ(t.lines[0].unknown, 2u);
    EXPECT_EQ(t.lines[0].first_unknown, static_cast<unsigned>(KEY_F5));
    EXPECT_FALSE(t.lines[0].clean());
    // An Enter after nothing but an unknown key still reports it (it is no silent noise).
    t.tap(KEY_ESC);
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 2u);
    EXPECT_EQ(t.lines[1].text, "");
    EXPECT_EQ(t.lines[1].unknown, 1u);
}

TEST(KeyDecoder, OverlongLinesAreCutAndCountedAndTheNextLineIsClean) {
    Typist t{KeyDecoder(4), {}};
    for (int i = 0; i < 10; ++i) t.tap(KEY_9);
    t.tap(KEY_ENTER);
    t.tap(KEY_4);
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 2u);
    EXPECT_EQ(t.lines[0].text, "9999");
    EXPECT_EQ(t.lines[0].overlong, 6u);
    EXPECT_FALSE(t.lines[0].clean());
    EXPECT_EQ(t.lines[1].text, "4");
    EXPECT_TRUE(t.lines[1].clean());
}

TEST(KeyDecoder, LostEventsTaintOnlyTheLineBeingTyped) {
    Typist t{KeyDecoder(128), {}};
    t.tap(KEY_1);
    t.decoder.events_lost();
    t.tap(KEY_2);
    t.tap(KEY_ENTER);
    t.tap(KEY_3);
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 2u);
    EXPECT_TRUE(t.lines[0].lost);
    EXPECT_TRUE(t.lines[1].clean());
}

TEST(KeyDecoder, ResetForgetsThePartialLineAndAHeldShift) {
    Typist t{KeyDecoder(128), {}};
    t.event(KEY_LEFTSHIFT, press);
    t.tap(KEY_1);
    t.decoder.reset();  // unplugged mid-code; its Shift release never arrives
    t.tap(KEY_1);
    t.tap(KEY_ENTER);
    ASSERT_EQ(t.lines.size(), 1u);
    EXPECT_EQ(t.lines[0].text, "1");
}

TEST(UsLayout, EveryLetterAndDigitKey) {
    // The kernel's key codes follow the physical QWERTY rows, not the alphabet.
    const std::pair<unsigned, char> rows[] = {
        {KEY_Q, 'q'}, {KEY_P, 'p'}, {KEY_A, 'a'}, {KEY_L, 'l'},   {KEY_Z, 'z'},  {KEY_M, 'm'},
        {KEY_1, '1'}, {KEY_9, '9'}, {KEY_0, '0'}, {KEY_KP0, '0'}, {KEY_KP9, '9'}};
    for (const auto& [code, c] : rows) EXPECT_EQ(us_layout_char(code, false), c) << code;
    int letters = 0, digits = 0;
    for (unsigned code = 0; code < KEY_MAX; ++code) {
        const char c = us_layout_char(code, false);
        letters += (c >= 'a' && c <= 'z') ? 1 : 0;
        digits += (c >= '0' && c <= '9') ? 1 : 0;
        if (c >= 'a' && c <= 'z') {
            EXPECT_EQ(us_layout_char(code, true), c - 'a' + 'A');
        }
    }
    EXPECT_EQ(letters, 26);
    EXPECT_EQ(digits, 20) << "the top row and the keypad";
    EXPECT_EQ(us_layout_char(KEY_ENTER, false), '\0');
}

}  // namespace
}  // namespace cashbridge::peripherals
