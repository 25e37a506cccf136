// KeyDecoder: Linux key codes to characters on a US layout, lines ended by Enter.
#include "cashbridge/peripherals/key_decoder.hpp"

#include <linux/input-event-codes.h>

#include <utility>

namespace cashbridge::peripherals {
namespace {

struct KeyChars {
    unsigned code;
    char plain;
    char shifted;
};

// The US layout as a USB HID keyboard sends it; scanners are set to it by default. Keypad
// keys give the same character with or without Shift (scanners in "keypad digits" mode).
constexpr KeyChars us_keys[] = {
    {KEY_1, '1', '!'},          {KEY_2, '2', '@'},           {KEY_3, '3', '#'},
    {KEY_4, '4', '$'},          {KEY_5, '5', '%'},           {KEY_6, '6', '^'},
    {KEY_7, '7', '&'},          {KEY_8, '8', '*'},           {KEY_9, '9', '('},
    {KEY_0, '0', ')'},          {KEY_MINUS, '-', '_'},       {KEY_EQUAL, '=', '+'},
    {KEY_Q, 'q', 'Q'},          {KEY_W, 'w', 'W'},           {KEY_E, 'e', 'E'},
    {KEY_R, 'r', 'R'},          {KEY_T, 't', 'T'},           {KEY_Y, 'y', 'Y'},
    {KEY_U, 'u', 'U'},          {KEY_I, 'i', 'I'},           {KEY_O, 'o', 'O'},
    {KEY_P, 'p', 'P'},          {KEY_LEFTBRACE, '[', '{'},   {KEY_RIGHTBRACE, ']', '}'},
    {KEY_A, 'a', 'A'},          {KEY_S, 's', 'S'},           {KEY_D, 'd', 'D'},
    {KEY_F, 'f', 'F'},          {KEY_G, 'g', 'G'},           {KEY_H, 'h', 'H'},
    {KEY_J, 'j', 'J'},          {KEY_K, 'k', 'K'},           {KEY_L, 'l', 'L'},
    {KEY_SEMICOLON, ';', ':'},  {KEY_APOSTROPHE, '\'', '"'}, {KEY_GRAVE, '`', '~'},
    {KEY_BACKSLASH, '\\', '|'}, {KEY_Z, 'z', 'Z'},           {KEY_X, 'x', 'X'},
    {KEY_C, 'c', 'C'},          {KEY_V, 'v', 'V'},           {KEY_B, 'b', 'B'},
    {KEY_N, 'n', 'N'},          {KEY_M, 'm', 'M'},           {KEY_COMMA, ',', '<'},
    {KEY_DOT, '.', '>'},        {KEY_SLASH, '/', '?'},       {KEY_SPACE, ' ', ' '},
    {KEY_KP0, '0', '0'},        {KEY_KP1, '1', '1'},         {KEY_KP2, '2', '2'},
    {KEY_KP3, '3', '3'},        {KEY_KP4, '4', '4'},         {KEY_KP5, '5', '5'},
    {KEY_KP6, '6', '6'},        {KEY_KP7, '7', '7'},         {KEY_KP8, '8', '8'},
    {KEY_KP9, '9', '9'},        {KEY_KPMINUS, '-', '-'},     {KEY_KPPLUS, '+', '+'},
    {KEY_KPASTERISK, '*', '*'}, {KEY_KPDOT, '.', '.'},
};

// Keys that change no character by themselves and must not count as unknown: scanners
// may press them around a code (NumLock before keypad digits, Ctrl for control prefixes).
bool is_modifier(unsigned code) {
    switch (code) {
        case KEY_LEFTCTRL:
        case KEY_RIGHTCTRL:
        case KEY_LEFTALT:
        case KEY_RIGHTALT:
        case KEY_LEFTMETA:
        case KEY_RIGHTMETA:
        case KEY_CAPSLOCK:
        case KEY_NUMLOCK:
            return true;
        default:
            return false;
    }
}

}  // namespace

char us_layout_char(unsigned code, bool shift) {
    for (const auto& k : us_keys)
        if (k.code == code) return shift ? k.shifted : k.plain;
    return '\0';
}

std::optional<TypedLine> KeyDecoder::key(unsigned code, int value) {
    if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
        if (value == 2) return std::nullopt;
        (code == KEY_LEFTSHIFT ? left_shift_ : right_shift_) = value != 0;
        return std::nullopt;
    }
    if (value != 1) return std::nullopt;  // releases and autorepeats
    if (code == KEY_ENTER || code == KEY_KPENTER) {
        auto line = std::exchange(line_, TypedLine{});
        if (line.text.empty() && line.clean()) return std::nullopt;
        return line;
    }
    if (is_modifier(code)) return std::nullopt;
    const char c = us_layout_char(code, left_shift_ || right_shift_);
    if (c == '\0') {
        if (line_.unknown++ == 0) line_.first_unknown = code;
    } else if (line_.text.size() < max_length_) {
        line_.text += c;
    } else {
        ++line_.overlong;
    }
    return std::nullopt;
}

void KeyDecoder::reset() {
    left_shift_ = right_shift_ = false;
    line_ = TypedLine{};
}

}  // namespace cashbridge::peripherals
