// Topic names of contract v1, derived from the machine id in one place.
#include "cashbridge/mqtt/topics.hpp"

#include <stdexcept>

namespace cashbridge::mqtt {

bool valid_machine_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

Topics::Topics(std::string_view id) {
    if (!valid_machine_id(id)) {
        throw std::invalid_argument("invalid machine id \"" + std::string{id} +
                                    "\": use 1-64 characters of [A-Za-z0-9._-]");
    }
    machine_id = std::string{id};
    root = "cashbridge/v" + std::to_string(contract_version) + "/" + machine_id + "/";
    availability = root + "availability";
    state = root + "state";
    up_session = root + "up/session";
    down_payment = root + "down/payment";
    up_credit = root + "up/credit";
    events = root + "events";
    up_payment = root + "up/payment";
}

}  // namespace cashbridge::mqtt
