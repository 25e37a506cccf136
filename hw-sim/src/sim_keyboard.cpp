// SimKeyboard: a uinput keyboard that types codes as a keyboard-wedge scanner does.
#include "cashbridge/sim/sim_keyboard.hpp"

#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

namespace cashbridge::sim {
namespace {

// The sim's own character table (not the daemon's decoder): the qemu test then checks one
// against the other instead of a table against itself. Letters in QWERTY row order.
constexpr const char* qwerty_rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
constexpr unsigned row_first_key[] = {KEY_Q, KEY_A, KEY_Z};

constexpr auto keystroke_pause = std::chrono::milliseconds(2);

struct Stroke {
    unsigned code;
    bool shift;
};

constexpr unsigned top_row_digit[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4,
                                      KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};
constexpr unsigned keypad_digit[] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                                     KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};

Stroke stroke_for(char c, bool keypad) {
    if (c >= '0' && c <= '9') return {(keypad ? keypad_digit : top_row_digit)[c - '0'], false};
    const bool upper = c >= 'A' && c <= 'Z';
    const char lower = upper ? static_cast<char>(c - 'A' + 'a') : c;
    for (int row = 0; row < 3; ++row)
        if (const char* at = std::strchr(qwerty_rows[row], lower); at && lower != '\0')
            return {row_first_key[row] + static_cast<unsigned>(at - qwerty_rows[row]), upper};
    if (c == '-') return {KEY_MINUS, false};
    throw std::invalid_argument(std::string("the sim's scanner has no key for '") + c + "'");
}

void check(int rc, const std::string& what) {
    if (rc < 0) throw std::system_error(-rc, std::generic_category(), what);
}

}  // namespace

void SimKeyboard::FreeDevice::operator()(libevdev* d) const {
    libevdev_free(d);
}
void SimKeyboard::Destroy::operator()(libevdev_uinput* u) const {
    libevdev_uinput_destroy(u);
}

SimKeyboard::SimKeyboard(std::string link) : link_(std::move(link)), prototype_(libevdev_new()) {
    if (!prototype_) throw std::runtime_error("libevdev_new failed");
    libevdev_set_name(prototype_.get(), "cashbridge-sim barcode scanner");
    libevdev_set_id_bustype(prototype_.get(), BUS_USB);
    libevdev_enable_event_type(prototype_.get(), EV_KEY);
    // Every key a US keyboard's main block and keypad have, as a real HID keyboard reports.
    for (unsigned k = KEY_ESC; k <= KEY_KPDOT; ++k)
        libevdev_enable_event_code(prototype_.get(), EV_KEY, k, nullptr);
    libevdev_enable_event_code(prototype_.get(), EV_KEY, KEY_KPENTER, nullptr);
    plug();
}

SimKeyboard::~SimKeyboard() {
    ::unlink(link_.c_str());
}

std::string SimKeyboard::devnode() const {
    const char* node = uinput_ ? libevdev_uinput_get_devnode(uinput_.get()) : nullptr;
    return node ? node : "";
}

void SimKeyboard::plug() {
    if (uinput_) return;
    libevdev_uinput* raw = nullptr;
    check(libevdev_uinput_create_from_device(prototype_.get(), LIBEVDEV_UINPUT_OPEN_MANAGED, &raw),
          "cannot create a uinput keyboard (is the uinput module loaded, /dev/uinput writable?)");
    uinput_.reset(raw);
    const auto node = devnode();
    if (node.empty()) throw std::runtime_error("uinput keyboard has no event node (no sysfs?)");
    ::unlink(link_.c_str());
    if (::symlink(node.c_str(), link_.c_str()) != 0)
        throw std::system_error(errno, std::generic_category(), "symlink " + link_);
}

void SimKeyboard::unplug() {
    // The link goes first, so that the daemon's retry cannot open a node being torn down.
    ::unlink(link_.c_str());
    uinput_.reset();
}

void SimKeyboard::key(unsigned code, int value) {
    check(libevdev_uinput_write_event(uinput_.get(), EV_KEY, code, value), "uinput write");
    check(libevdev_uinput_write_event(uinput_.get(), EV_SYN, SYN_REPORT, 0), "uinput write");
}

void SimKeyboard::type(const std::string& text, bool keypad) {
    if (!uinput_) throw std::runtime_error("the scanner is unplugged");
    std::vector<Stroke> strokes;
    for (const char c : text) strokes.push_back(stroke_for(c, keypad));  // all or nothing
    strokes.push_back({keypad ? unsigned{KEY_KPENTER} : unsigned{KEY_ENTER}, false});
    for (const auto& s : strokes) {
        if (s.shift) key(KEY_LEFTSHIFT, 1);
        key(s.code, 1);
        key(s.code, 0);
        if (s.shift) key(KEY_LEFTSHIFT, 0);
        // A HID scanner sends one key report per USB poll (1-8 ms). Typed in one burst, a
        // code would overflow the reader's evdev buffer (64 events) before it is scheduled.
        std::this_thread::sleep_for(keystroke_pause);
    }
}

}  // namespace cashbridge::sim
