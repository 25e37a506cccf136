// EvdevKeyboard: libevdev on a grabbed input device; errno turned into exceptions here.
#include "cashbridge/peripherals/evdev_keyboard.hpp"

#include <fcntl.h>
#include <libevdev/libevdev.h>

#include <cerrno>
#include <cstring>

namespace cashbridge::peripherals {
namespace {

std::string errno_text(int err) {
    return std::strerror(err < 0 ? -err : err);
}

}  // namespace

void EvdevKeyboard::Free::operator()(libevdev* dev) const {
    libevdev_free(dev);
}

EvdevKeyboard::EvdevKeyboard(std::string path, hal::UniqueFd fd,
                             std::unique_ptr<libevdev, Free> dev)
    : path_(std::move(path)), fd_(std::move(fd)), dev_(std::move(dev)) {}
EvdevKeyboard::EvdevKeyboard(EvdevKeyboard&&) noexcept = default;
EvdevKeyboard& EvdevKeyboard::operator=(EvdevKeyboard&&) noexcept = default;
EvdevKeyboard::~EvdevKeyboard() = default;

EvdevKeyboard EvdevKeyboard::open(const std::string& path) {
    hal::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd) throw EvdevError(path + ": cannot open: " + errno_text(errno));
    libevdev* raw = nullptr;
    if (const int rc = libevdev_new_from_fd(fd.get(), &raw); rc < 0)
        throw EvdevError(path + ": not an input device: " + errno_text(rc));
    std::unique_ptr<libevdev, Free> dev(raw);
    // A scanner ends each code with Enter; a device without one is not a keyboard (a
    // mouse, the power button): the config names the wrong event node.
    if (!libevdev_has_event_code(dev.get(), EV_KEY, KEY_ENTER))
        throw EvdevError(path + ": '" + libevdev_get_name(dev.get()) +
                         "' is no keyboard (it has no Enter key)");
    if (const int rc = libevdev_grab(dev.get(), LIBEVDEV_GRAB); rc < 0)
        throw EvdevError(path + ": cannot grab it (" + errno_text(rc) +
                         "): another program holds it exclusively");
    return EvdevKeyboard(path, std::move(fd), std::move(dev));
}

std::string EvdevKeyboard::name() const {
    return libevdev_get_name(dev_.get());
}

bool EvdevKeyboard::read_keys(std::vector<KeyEvent>& keys) {
    bool dropped = false;
    unsigned flags = LIBEVDEV_READ_FLAG_NORMAL;
    for (;;) {
        input_event ev{};
        const int rc = libevdev_next_event(dev_.get(), flags, &ev);
        if (rc == -EAGAIN) {
            // In sync mode, EAGAIN means the device state is caught up: read on normally.
            if (flags == LIBEVDEV_READ_FLAG_SYNC) {
                flags = LIBEVDEV_READ_FLAG_NORMAL;
                continue;
            }
            return dropped;
        }
        if (rc == -ENODEV) throw EvdevVanished(path_ + ": the device is gone (unplugged?)");
        if (rc < 0) throw EvdevError(path_ + ": read failed: " + errno_text(rc));
        if (rc == LIBEVDEV_READ_STATUS_SYNC) {
            // SYN_DROPPED: the events in between are lost; the sync replays key states,
            // not the presses, so they are skipped and the caller distrusts the line.
            dropped = true;
            flags = LIBEVDEV_READ_FLAG_SYNC;
            continue;
        }
        if (ev.type == EV_KEY) keys.push_back({ev.code, ev.value});
    }
}

}  // namespace cashbridge::peripherals
