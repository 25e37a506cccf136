// VCD writer: the exact text PulseView and GTKWave parse.
#include "cashbridge/sim/vcd_writer.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace cashbridge::sim {
namespace {

std::string body_after_header(const std::string& vcd) {
    const auto at = vcd.find("$timescale");
    return at == std::string::npos ? "" : vcd.substr(at);
}

TEST(VcdWriter, HeaderWiresAndChanges) {
    std::ostringstream out;
    VcdWriter w(out, {{"coin", 1}, {"inhibit", 0}}, 1'000'000'000);
    w.change(0, 0, 1'000'000'000 + 5'000'000);   // 5 ms
    w.change(0, 1, 1'000'000'000 + 55'000'999);  // 55.000999 ms -> 55000 us
    w.change(1, 1, 1'000'000'000 + 55'000'500);  // same microsecond: no new timestamp
    EXPECT_EQ(body_after_header(out.str()),
              "$timescale 1us $end\n"
              "$scope module machine $end\n"
              "$var wire 1 ! coin $end\n"
              "$var wire 1 \" inhibit $end\n"
              "$upscope $end\n"
              "$enddefinitions $end\n"
              "#0\n"
              "$dumpvars\n"
              "1!\n"
              "0\"\n"
              "$end\n"
              "#5000\n"
              "0!\n"
              "#55000\n"
              "1!\n"
              "1\"\n");
    EXPECT_EQ(out.str().rfind("$date ", 0), 0u);
}

TEST(VcdWriter, NeverGoesBackInTimeAndSkipsRepeats) {
    std::ostringstream out;
    VcdWriter w(out, {{"a", 0}, {"b", 0}}, 0);
    w.change(0, 1, 10'000);
    w.change(1, 1, 4'000);   // stamped earlier by the other side: written at 10 us
    w.change(1, 1, 20'000);  // no change
    w.change(5, 1, 30'000);  // unknown wire: ignored
    w.change(0, 0, -5);      // before t0 clamps too
    const auto s = body_after_header(out.str());
    EXPECT_NE(s.find("$end\n#10\n1!\n1\"\n0!\n"), std::string::npos) << s;
    EXPECT_EQ(s.find("#4"), std::string::npos);
}

TEST(VcdWriter, IdentifiersAreUniquePrintable) {
    EXPECT_EQ(VcdWriter::identifier(0), "!");
    EXPECT_EQ(VcdWriter::identifier(93), "~");
    EXPECT_EQ(VcdWriter::identifier(94), "!\"");
    std::ostringstream out;
    VcdWriter w(out, {{"x", 0}, {"y", 1}}, 0);
    EXPECT_EQ(w.index_of("y"), 1u);
    EXPECT_EQ(w.index_of("z"), 2u);
}

}  // namespace
}  // namespace cashbridge::sim
