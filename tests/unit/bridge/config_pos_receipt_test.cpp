// Config sections pos and receipt: defaults, valid values, and errors naming the field.
#include <gtest/gtest.h>

#include <fstream>

#include "cashbridge/bridge/config.hpp"

namespace cashbridge::bridge {
namespace {

const std::filesystem::path config_dir = std::filesystem::path(CASHBRIDGE_SOURCE_DIR) / "config";

/// The sim example with `sections` (JSON members, without braces) added at the top level.
std::string with(const std::string& sections) {
    std::ifstream in(config_dir / "sim.json");
    std::string text{std::istreambuf_iterator<char>(in), {}};
    text.insert(text.find('{') + 1, sections + ",");
    return text;
}

std::vector<std::string> problems(const std::string& sections) {
    try {
        parse_config(with(sections), config_dir);
    } catch (const ConfigError& e) {
        return e.problems();
    }
    return {};
}

TEST(PosReceiptConfig, OffByDefault) {
    const auto c = load_config(config_dir / "sim.json");
    EXPECT_TRUE(c.pos.targets.empty());
    EXPECT_EQ(c.receipt.transport, PrinterTransport::none);
}

TEST(PosReceiptConfig, ReadsEveryField) {
    const auto c =
        parse_config(with(R"("pos": {"targets": ["239.255.42.1:5599", "192.168.1.255:6000"],
                 "multicast_ttl": 2, "multicast_interface": "eth0", "multicast_loop": false},
             "receipt": {"printer": "file", "device": "/dev/usb/lp0", "width": 48,
                 "header": ["Shop", "Street 1"], "payment_type": "WeChat Pay", "refunds": true,
                 "qr_module": 8, "qr_error_correction": "H", "status_timeout_ms": 300,
                 "status_interval_s": 5, "queue_max": 3})"),
                     config_dir);
    ASSERT_EQ(c.pos.targets.size(), 2u);
    EXPECT_EQ(c.pos.targets[0].address, "239.255.42.1");
    EXPECT_EQ(c.pos.targets[0].port, 5599);
    EXPECT_EQ(c.pos.targets[1].port, 6000);
    EXPECT_EQ(c.pos.multicast_ttl, 2);
    EXPECT_EQ(c.pos.multicast_interface, "eth0");
    EXPECT_FALSE(c.pos.multicast_loop);
    EXPECT_EQ(c.receipt.transport, PrinterTransport::file);
    EXPECT_EQ(c.receipt.device, "/dev/usb/lp0");
    EXPECT_EQ(c.receipt.width, 48);
    EXPECT_EQ(c.receipt.header, (std::vector<std::string>{"Shop", "Street 1"}));
    EXPECT_EQ(c.receipt.payment_type, "WeChat Pay");
    EXPECT_TRUE(c.receipt.refunds);
    EXPECT_EQ(c.receipt.qr_module, 8);
    EXPECT_EQ(c.receipt.qr_ec, QrErrorCorrection::h);
    EXPECT_EQ(c.receipt.status_timeout, std::chrono::milliseconds(300));
    EXPECT_EQ(c.receipt.status_interval, std::chrono::seconds(5));
    EXPECT_EQ(c.receipt.queue_max, 3);
}

TEST(PosReceiptConfig, EveryMistakeNamesItsField) {
    const struct {
        const char* sections;
        const char* field;  // the problem must start with this path
    } cases[] = {
        {R"("pos": {"targets": ["239.255.42.1"]})", "pos.targets[0]:"},
        {R"("pos": {"targets": ["lan-pos:5599"]})", "pos.targets[0]:"},
        {R"("pos": {"targets": ["10.0.0.1:5599", "10.0.0.2:70000"]})", "pos.targets[1]:"},
        {R"("pos": {"targets": [5599]})", "pos.targets[0]:"},
        {R"("pos": {"targets": "239.255.42.1:5599"})", "pos.targets:"},
        {R"("pos": {"multicast_ttl": 300})", "pos.multicast_ttl:"},
        {R"("pos": {"multicast_interface": "a-very-long-interface-name"})",
         "pos.multicast_interface:"},
        {R"("pos": {"tagrets": []})", "pos.tagrets:"},
        {R"("receipt": {"printer": "serial"})", "receipt.device:"},
        {R"("receipt": {"printer": "lpt"})", "receipt.printer:"},
        {R"("receipt": {"printer": "serial", "device": "/dev/ttyUSB0", "baud": 5})",
         "receipt.baud:"},
        {R"("receipt": {"printer": "file", "device": "/dev/usb/lp0", "baud": 9600})",
         "receipt.baud:"},                                                // serial only
        {R"("receipt": {"device": "/dev/usb/lp0"})", "receipt.device:"},  // printer "none"
        {R"("receipt": {"printer": "file", "device": "/dev/usb/lp0", "header": ["this header line is far too long for 32"]})",
         "receipt.header[0]:"},
        {R"("receipt": {"printer": "file", "device": "/dev/usb/lp0", "header": ["ok", 7]})",
         "receipt.header[1]:"},
        {R"("receipt": {"printer": "file", "device": "/dev/usb/lp0", "qr_error_correction": "X"})",
         "receipt.qr_error_correction:"},
        {R"("receipt": {"printer": "file", "device": "/dev/usb/lp0", "qr_module": 0})",
         "receipt.qr_module:"},
        {R"("receipt": {"printer": "serial", "device": "/dev/ttyUSB0", "flow_control": "xonxoff"})",
         "receipt.flow_control:"},
    };
    for (const auto& c : cases) {
        const auto p = problems(c.sections);
        ASSERT_EQ(p.size(), 1u) << c.sections;
        EXPECT_EQ(p[0].rfind(c.field, 0), 0u) << c.sections << " -> " << p[0];
    }
}

}  // namespace
}  // namespace cashbridge::bridge
