// FakeBoard and FakeClock: the in-memory backend unit tests run against.
#include "cashbridge/hal/fake_board.hpp"

#include <sys/eventfd.h>

#include <deque>
#include <stdexcept>

#include "cashbridge/hal/unique_fd.hpp"

namespace cashbridge::hal {

TimePoint FakeClock::now() const {
    std::lock_guard lock(mutex_);
    return now_;
}

void FakeClock::sleep_until(TimePoint t) {
    std::lock_guard lock(mutex_);
    if (t > now_) now_ = t;
}

void FakeClock::advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mutex_);
    now_ += d;
}

struct FakeBoard::Wire {
    Level level = Level::high;
    bool claimed = false;
    std::deque<Edge> pending;  // edges not yet read by the input line
    UniqueFd event{::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
};

namespace {

class FakeOutput final : public OutputLine {
  public:
    FakeOutput(std::string name, std::shared_ptr<FakeBoard::Wire> wire,
               std::shared_ptr<std::mutex> mutex, std::shared_ptr<std::vector<RecordedEdge>> edges,
               const Clock& clock)
        : name_(std::move(name)),
          wire_(std::move(wire)),
          mutex_(std::move(mutex)),
          edges_(std::move(edges)),
          clock_(clock) {}
    ~FakeOutput() override {
        std::lock_guard lock(*mutex_);
        wire_->claimed = false;
    }
    TimePoint set(Level level) override {
        const auto t = clock_.now();
        std::lock_guard lock(*mutex_);
        if (wire_->level != level) edges_->push_back({name_, level, t});
        wire_->level = level;
        return t;
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    std::shared_ptr<FakeBoard::Wire> wire_;
    std::shared_ptr<std::mutex> mutex_;
    std::shared_ptr<std::vector<RecordedEdge>> edges_;
    const Clock& clock_;
};

class FakeInput final : public InputLine {
  public:
    FakeInput(std::string name, std::shared_ptr<FakeBoard::Wire> wire,
              std::shared_ptr<std::mutex> mutex)
        : name_(std::move(name)), wire_(std::move(wire)), mutex_(std::move(mutex)) {
        level_ = wire_->level;
    }
    ~FakeInput() override {
        std::lock_guard lock(*mutex_);
        wire_->claimed = false;
    }
    Level level() const override { return level_; }
    int fd() const override { return wire_->event.get(); }
    std::optional<Edge> read_edge() override {
        std::lock_guard lock(*mutex_);
        if (wire_->pending.empty()) {
            std::uint64_t drained = 0;
            [[maybe_unused]] auto n = ::read(wire_->event.get(), &drained, sizeof drained);
            return std::nullopt;
        }
        auto e = wire_->pending.front();
        wire_->pending.pop_front();
        level_ = e.level;
        return e;
    }
    const std::string& name() const override { return name_; }

  private:
    std::string name_;
    std::shared_ptr<FakeBoard::Wire> wire_;
    std::shared_ptr<std::mutex> mutex_;
    Level level_;
};

}  // namespace

std::unique_ptr<OutputLine> FakeBoard::claim_output(const LineSpec& spec, Level initial) {
    std::lock_guard lock(*mutex_);
    auto& wire = wires_[spec.name];
    if (!wire) wire = std::make_shared<Wire>();
    if (wire->claimed) throw std::runtime_error("fake line " + spec.name + " already claimed");
    wire->claimed = true;
    wire->level = initial;
    return std::make_unique<FakeOutput>(spec.name, wire, mutex_, edges_, clock_);
}

std::unique_ptr<InputLine> FakeBoard::claim_input(const LineSpec& spec) {
    std::lock_guard lock(*mutex_);
    auto& wire = wires_[spec.name];
    if (!wire) wire = std::make_shared<Wire>();
    if (wire->claimed) throw std::runtime_error("fake line " + spec.name + " already claimed");
    wire->claimed = true;
    return std::make_unique<FakeInput>(spec.name, wire, mutex_);
}

std::vector<RecordedEdge> FakeBoard::edges() const {
    std::lock_guard lock(*mutex_);
    return *edges_;
}

Level FakeBoard::level(const std::string& line) const {
    std::lock_guard lock(*mutex_);
    auto it = wires_.find(line);
    if (it == wires_.end()) throw std::out_of_range("no fake line " + line);
    return it->second->level;
}

void FakeBoard::drive_input(const std::string& line, Level level) {
    std::lock_guard lock(*mutex_);
    auto& wire = wires_[line];
    if (!wire) wire = std::make_shared<Wire>();
    if (wire->level == level) return;
    wire->level = level;
    wire->pending.push_back({level, clock_.now()});
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wire->event.get(), &one, sizeof one);
}

}  // namespace cashbridge::hal
