// The libgpiod v1 backend (Debian 12 and Raspberry Pi OS ship libgpiod 1.6). Kept to the few
// calls a line needs so that a libgpiod 2 backend can sit beside it.
#include <gpiod.h>

#include <cerrno>

#include "cashbridge/hal/boards.hpp"
#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::hal {
namespace {

struct ChipCloser {
    void operator()(gpiod_chip* c) const { gpiod_chip_close(c); }
};
using ChipPtr = std::unique_ptr<gpiod_chip, ChipCloser>;

struct LineReleaser {
    void operator()(gpiod_line* l) const { gpiod_line_release(l); }
};
/// Owns the request on a line; the line itself belongs to the chip, so the chip is declared
/// first in the owners below and outlives it.
using RequestPtr = std::unique_ptr<gpiod_line, LineReleaser>;

std::string where(const LineSpec& spec) {
    return "line '" + spec.name + "' (chip " + spec.chip + ", offset " +
           std::to_string(spec.offset) + ")";
}

ChipPtr open_chip(const LineSpec& spec) {
    ChipPtr chip(gpiod_chip_open_lookup(spec.chip.c_str()));
    if (!chip) throw_errno("cannot open GPIO chip for " + where(spec));
    return chip;
}

gpiod_line* get_line(gpiod_chip* chip, const LineSpec& spec) {
    // libgpiod only says EINVAL; the installer needs to know which offsets do exist.
    const unsigned lines = gpiod_chip_num_lines(chip);
    if (spec.offset >= lines)
        throw std::system_error(EINVAL, std::generic_category(),
                                "no such GPIO " + where(spec) + ": " + gpiod_chip_name(chip) +
                                    " has lines 0-" + std::to_string(lines - 1));
    gpiod_line* line = gpiod_chip_get_line(chip, spec.offset);
    if (!line) throw_errno("cannot get GPIO " + where(spec));
    return line;
}

/// Throws for a refused request; a busy line names who holds it (another cashbridged, a
/// kernel driver, a stray gpioset), which is what the installer must go and stop.
[[noreturn]] void refused(gpiod_line* line, const LineSpec& spec, const std::string& as) {
    const int err = errno;
    std::string why;
    if (err == EBUSY && gpiod_line_update(line) == 0) {
        const char* holder = gpiod_line_consumer(line);
        why = holder ? " (in use by '" + std::string(holder) + "')" : " (in use)";
    }
    throw std::system_error(err, std::generic_category(),
                            "cannot request " + where(spec) + " as " + as + why);
}

int drive_flags(Drive d) {
    switch (d) {
        case Drive::open_drain:
            return GPIOD_LINE_REQUEST_FLAG_OPEN_DRAIN;
        case Drive::open_source:
            return GPIOD_LINE_REQUEST_FLAG_OPEN_SOURCE;
        case Drive::push_pull:
            break;
    }
    return 0;
}

class GpiodOutput final : public OutputLine {
  public:
    GpiodOutput(const LineSpec& spec, const std::string& consumer, Level initial)
        : name_(spec.name), chip_(open_chip(spec)) {
        gpiod_line* line = get_line(chip_.get(), spec);
        if (gpiod_line_request_output_flags(line, consumer.c_str(), drive_flags(spec.drive),
                                            initial == Level::high ? 1 : 0) < 0)
            refused(line, spec, "output");
        request_.reset(line);
    }
    TimePoint set(Level level) override {
        if (gpiod_line_set_value(request_.get(), level == Level::high ? 1 : 0) < 0)
            throw_errno("cannot set GPIO line '" + name_ + "'");
        return std::chrono::steady_clock::now();
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    ChipPtr chip_;
    RequestPtr request_;
};

class GpiodInput final : public InputLine {
  public:
    GpiodInput(const LineSpec& spec, const std::string& consumer)
        : name_(spec.name), chip_(open_chip(spec)) {
        gpiod_line* line = get_line(chip_.get(), spec);
        if (gpiod_line_request_both_edges_events(line, consumer.c_str()) < 0)
            refused(line, spec, "input with edge events");
        request_.reset(line);
        const int v = gpiod_line_get_value(line);
        if (v < 0) throw_errno("cannot read " + where(spec));
        level_ = v ? Level::high : Level::low;
    }
    Level level() const override { return level_; }
    int fd() const override { return gpiod_line_event_get_fd(request_.get()); }
    std::optional<Edge> read_edge() override {
        const timespec zero{};
        const int r = gpiod_line_event_wait(request_.get(), &zero);
        if (r < 0) throw_errno("cannot wait for events on GPIO line '" + name_ + "'");
        if (r == 0) return std::nullopt;
        gpiod_line_event ev{};
        if (gpiod_line_event_read(request_.get(), &ev) < 0)
            throw_errno("cannot read event from GPIO line '" + name_ + "'");
        // Since Linux 5.7 line events carry CLOCK_MONOTONIC timestamps, our time base.
        const auto ns =
            std::chrono::seconds(ev.ts.tv_sec) + std::chrono::nanoseconds(ev.ts.tv_nsec);
        level_ = ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE ? Level::high : Level::low;
        return Edge{level_, TimePoint(std::chrono::duration_cast<TimePoint::duration>(ns))};
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    ChipPtr chip_;
    RequestPtr request_;
    Level level_ = Level::high;
};

class GpiodBoard final : public Board {
  public:
    explicit GpiodBoard(std::string consumer) : consumer_(std::move(consumer)) {}
    std::unique_ptr<OutputLine> claim_output(const LineSpec& spec, Level initial) override {
        return std::make_unique<GpiodOutput>(spec, consumer_, initial);
    }
    std::unique_ptr<InputLine> claim_input(const LineSpec& spec) override {
        return std::make_unique<GpiodInput>(spec, consumer_);
    }

  private:
    std::string consumer_;
};

}  // namespace

std::unique_ptr<Board> make_gpiod_board(std::string consumer) {
    return std::make_unique<GpiodBoard>(std::move(consumer));
}

}  // namespace cashbridge::hal
