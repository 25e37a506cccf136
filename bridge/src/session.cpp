// Sessions: ids, QR content from the URL template, expiry.
#include "cashbridge/bridge/session.hpp"

#include <cstdio>

namespace cashbridge::bridge {
namespace {

void replace_all(std::string& s, const std::string& key, const std::string& value) {
    for (auto pos = s.find(key); pos != std::string::npos; pos = s.find(key, pos + value.size()))
        s.replace(pos, key.size(), value);
}

}  // namespace

std::string fill_qr_template(const std::string& tmpl, const std::string& machine,
                             const std::string& session, std::optional<std::int64_t> amount,
                             const std::string& currency) {
    std::string s = tmpl;
    replace_all(s, "{machine}", machine);
    replace_all(s, "{session}", session);
    replace_all(s, "{amount}", amount ? std::to_string(*amount) : std::string());
    replace_all(s, "{currency}", currency);
    return s;
}

SessionFactory::SessionFactory(const Config& config) : config_(config) {}

Session SessionFactory::open(WallTime now, std::optional<std::int64_t> amount) {
    std::string id;
    for (int i = 0; i < 4; ++i) {
        char hex[9];
        std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>(random_()));
        id += hex;
    }
    Session s;
    s.id = id;
    if (config_.payment.price_mode == PriceMode::fixed) s.amount = config_.payment.price;
    if (amount) s.amount = amount;
    s.expires = now + config_.payment.session_lifetime;
    s.qr_content = fill_qr_template(config_.payment.qr_template, config_.machine_id, s.id, s.amount,
                                    config_.payment.currency);
    return s;
}

}  // namespace cashbridge::bridge
