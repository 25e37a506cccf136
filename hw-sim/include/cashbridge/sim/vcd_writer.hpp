/// @file vcd_writer.hpp
/// Writes line edges as a Value Change Dump (IEEE 1364) that PulseView and GTKWave open.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace cashbridge::sim {

class VcdWriter {
  public:
    struct Wire {
        std::string name;  ///< no whitespace (VCD identifiers are whitespace-separated)
        int initial_level = 0;
    };

    /// Writes the header and the initial values at time 0 = `t0_ns` (CLOCK_MONOTONIC).
    /// The stream must outlive the writer.
    VcdWriter(std::ostream& out, std::vector<Wire> wires, std::int64_t t0_ns);

    /// Records wire `index` changing to `level` at `t_ns`, and flushes so a crash or a
    /// kill -9 still leaves a readable dump. Edges come from two clocks' worth of senders
    /// (the daemon stamps outputs, the sim stamps inputs), so one may arrive slightly out
    /// of order: VCD time must never go backwards, so such an edge is written at the
    /// latest time already written. Repeated levels are skipped.
    void change(std::size_t index, int level, std::int64_t t_ns);

    std::size_t wire_count() const { return wires_.size(); }
    /// Index of the wire called `name`, or wire_count() if there is none.
    std::size_t index_of(const std::string& name) const;

    /// The short VCD identifier of wire `index` ("!", "\"", ...).
    static std::string identifier(std::size_t index);

  private:
    std::ostream& out_;
    std::vector<Wire> wires_;
    std::vector<int> levels_;
    std::int64_t t0_ns_;
    std::int64_t last_us_ = 0;
};

}  // namespace cashbridge::sim
