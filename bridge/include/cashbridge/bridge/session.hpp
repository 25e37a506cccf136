/// @file session.hpp
/// Payment sessions: a random id, the amount asked, the QR content, and when it expires.
/// Pure logic with the time passed in, so rotation is tested without waiting.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "cashbridge/bridge/config.hpp"

namespace cashbridge::bridge {

using WallTime = std::chrono::system_clock::time_point;

struct Session {
    std::string id;
    std::optional<std::int64_t> amount;  ///< nullopt: open amount, chosen in the app
    WallTime expires;
    std::string qr_content;
};

/// Fills the QR URL template: {machine}, {session}, {amount} (minor units, empty for an
/// open amount) and {currency}. Values are URL-safe by construction (ids are checked).
std::string fill_qr_template(const std::string& tmpl, const std::string& machine,
                             const std::string& session, std::optional<std::int64_t> amount,
                             const std::string& currency);

class SessionFactory {
  public:
    explicit SessionFactory(const Config& config);
    /// A new session with an unpredictable id (128 bits from the OS's random source):
    /// a guessable id would let anyone pay into someone else's session.
    /// `amount` overrides the configured price (price mode external).
    Session open(WallTime now, std::optional<std::int64_t> amount = std::nullopt);

  private:
    const Config& config_;
    std::random_device random_;
};

}  // namespace cashbridge::bridge
