// Config of the price feed and the scanner: values read, and mistakes named by field path.
#include <gtest/gtest.h>

#include <fstream>

#include "cashbridge/bridge/config.hpp"

namespace cashbridge::bridge {
namespace {

const std::filesystem::path config_dir = std::filesystem::path(CASHBRIDGE_SOURCE_DIR) / "config";

std::string sim_with(const std::string& price_mode, const std::string& extra) {
    std::ifstream in(config_dir / "sim.json");
    std::string text{std::istreambuf_iterator<char>(in), {}};
    const std::string fixed = R"j("price": { "mode": "fixed", "amount": 200 })j";
    text.replace(text.find(fixed), fixed.size(), R"j("price": { "mode": ")j" + price_mode + "\" }");
    text.replace(text.rfind('}'), 1, "," + extra + "}");
    return text;
}

std::string problems(const std::string& text) {
    try {
        parse_config(text, config_dir);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return {};
}

TEST(ConfigSerial, ReadsThePriceFeedAndTheScanner) {
    const auto c = parse_config(
        sim_with("external",
                 R"j("price_feed": {"port": "/dev/ttyUSB0", "baud": 19200, "parity": "even",
                    "data_bits": 7, "stop_bits": 2, "flow_control": "xon_xoff",
                    "pattern": "^P(?<amount>\\d+)$", "cancel_pattern": "^C$",
                    "decimals": "point", "frame_length": 8, "max_amount": 1500,
                    "stale_after_ms": 5000},
                    "scanner": {"port": "/dev/ttyACM0", "baud": 115200})j"),
        config_dir);
    EXPECT_EQ(c.payment.price_mode, PriceMode::external);
    ASSERT_TRUE(c.price_feed);
    EXPECT_EQ(c.price_feed->port, "/dev/ttyUSB0");
    EXPECT_EQ(c.price_feed->serial.baud, 19200);
    EXPECT_EQ(c.price_feed->serial.parity, peripherals::Parity::even);
    EXPECT_EQ(c.price_feed->serial.data_bits, 7);
    EXPECT_EQ(c.price_feed->serial.stop_bits, 2);
    EXPECT_EQ(c.price_feed->serial.flow_control, peripherals::FlowControl::xon_xoff);
    EXPECT_EQ(c.price_feed->decimals, DecimalConvention::point);
    EXPECT_EQ(c.price_feed->frame_length, 8);
    EXPECT_EQ(c.price_feed->max_amount, 1500);
    EXPECT_EQ(c.price_feed->stale_after, std::chrono::milliseconds(5000));
    ASSERT_TRUE(c.scanner);
    EXPECT_EQ(c.scanner->input, ScannerInput::serial);
    EXPECT_EQ(c.scanner->serial.baud, 115200);
}

TEST(ConfigSerial, ReadsAKeyboardWedgeScanner) {
    const auto c = parse_config(sim_with("open", R"j("scanner": {"input": "evdev",
                    "device": "/dev/input/by-id/usb-Scanner-event-kbd"})j"),
                                config_dir);
    ASSERT_TRUE(c.scanner);
    EXPECT_EQ(c.scanner->input, ScannerInput::evdev);
    EXPECT_EQ(c.scanner->device, "/dev/input/by-id/usb-Scanner-event-kbd");
    EXPECT_EQ(c.scanner->port, "");
}

TEST(ConfigSerial, MistakesNameTheField) {
    const std::pair<std::string, std::string> cases[] = {
        {sim_with("external", R"j("log2": 1)j"), "price_feed: required"},
        {sim_with("external", R"j("price_feed": {"port": "/dev/x", "pattern": "(\\d+)"})j"),
         "price_feed.pattern: no (?<amount>"},
        {sim_with("external", R"j("price_feed": {"port": "/dev/x", "pattern": "(?<amount>\\d+",
                                 "cancel_pattern": "("})j"),
         "price_feed.pattern: not a valid regular expression"},
        {sim_with("external", R"j("price_feed": {"port": "/dev/x", "pattern": "(?<amount>\\d+)",
                                 "parity": "mark"})j"),
         "price_feed.parity"},
        {sim_with("external", R"j("price_feed": {"pattern": "(?<amount>\\d+)"})j"),
         "price_feed.port"},
        {sim_with("external", R"j("price_feed": {"port": "/dev/x", "pattern": "(?<amount>\\d+)",
                                 "max_amount": 5000})j"),
         "price_feed.max_amount: above payment.max_amount"},
        {sim_with("open", R"j("scanner": {"port": "/dev/x", "stop_bits": 3})j"),
         "scanner.stop_bits"},
        {sim_with("open", R"j("scanner": {"input": "hid", "port": "/dev/x"})j"), "scanner.input"},
        {sim_with("open", R"j("scanner": {"input": "evdev"})j"), "scanner.device: required"},
        {sim_with("open", R"j("scanner": {"input": "evdev", "device": "/dev/input/event3",
                                          "baud": 9600})j"),
         "scanner.baud: only with scanner.input \"serial\""},
        {sim_with("open", R"j("scanner": {"input": "evdev", "port": "/dev/input/event3"})j"),
         "scanner.port: only with scanner.input \"serial\""},
        {sim_with("open",
                  R"j("scanner": {"port": "/dev/ttyACM0", "device": "/dev/input/event3"})j"),
         "scanner.device: only with scanner.input \"evdev\""},
    };
    for (const auto& [text, expected] : cases) {
        const auto got = problems(text);
        EXPECT_NE(got.find(expected), std::string::npos)
            << "expected " << expected << "\ngot " << got;
    }
}

}  // namespace
}  // namespace cashbridge::bridge
