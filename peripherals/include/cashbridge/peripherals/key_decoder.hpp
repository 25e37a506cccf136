/// @file key_decoder.hpp
/// Turns the key presses of a keyboard-wedge (USB HID) scanner into the lines it typed:
/// US layout, Shift, keypad digits, a line ends at Enter. Pure: no device, no clock.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace cashbridge::peripherals {

/// One line typed by the scanner, ended by Enter or keypad Enter.
struct TypedLine {
    std::string text;            ///< the characters decoded, at most the decoder's max_length
    std::size_t overlong = 0;    ///< characters past max_length, dropped
    std::size_t unknown = 0;     ///< presses of keys that give no character (not modifiers)
    unsigned first_unknown = 0;  ///< the key code of the first of them, for the report
    bool lost = false;           ///< the kernel dropped events (SYN_DROPPED) during the line

    /// True when the line is exactly what the scanner typed and fits max_length.
    bool clean() const { return overlong == 0 && unknown == 0 && !lost; }
};

/// The character a key gives on a US keyboard, '\0' if none. `code` is a Linux key code
/// (KEY_* of <linux/input-event-codes.h>).
char us_layout_char(unsigned code, bool shift);

class KeyDecoder {
  public:
    explicit KeyDecoder(std::size_t max_length) : max_length_(max_length) {}

    /// One EV_KEY event: `value` 1 = press, 0 = release, 2 = autorepeat (ignored: a held
    /// key is not a second character). Returns the line when the key is Enter and anything
    /// was typed (an empty line, e.g. a lone Enter, is no code and returns nullopt).
    std::optional<TypedLine> key(unsigned code, int value);
    /// The kernel dropped events: the line being typed cannot be trusted.
    void events_lost() { line_.lost = true; }
    /// Forgets the partial line and the modifiers (the device went away).
    void reset();

  private:
    std::size_t max_length_;
    bool left_shift_ = false;
    bool right_shift_ = false;
    TypedLine line_;
};

}  // namespace cashbridge::peripherals
