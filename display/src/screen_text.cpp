/// @file screen_text.cpp
/// What each screen state says, in one place.
#include "cashbridge/display/screen_text.hpp"

namespace cashbridge::display {

ScreenText describe(const Screen& screen) {
    ScreenText t;
    t.footer = screen.machine_name;
    const auto amount = [&] {
        return format_amount(*screen.amount_minor, screen.currency, screen.currency_exponent);
    };
    switch (screen.state) {
        case ScreenState::ready:
            if (screen.qr_content.empty()) {
                // Ready before a session exists: a price with nothing to scan would only
                // confuse, so say that the payment is on its way.
                t.heading = "Preparing payment…";
                t.details = {screen.reason.empty() ? "One moment, please" : screen.reason};
                break;
            }
            t.shows_qr = true;
            t.heading = screen.amount_minor ? "Pay " + amount() : "Choose amount in the app";
            t.details = {"Scan with your phone camera to pay"};
            if (!screen.reason.empty()) t.details.push_back(screen.reason);  // e.g. a scan rejected
            break;
        case ScreenState::paid:
            t.tone = Tone::good;
            t.heading =
                screen.amount_minor ? "Paid " + amount() + " – credited" : "Paid – credited";
            // A partial payment: the machine still wants the rest, in coins.
            if (screen.remaining_minor && *screen.remaining_minor > 0)
                t.details = {"Please insert " +
                             format_amount(*screen.remaining_minor, screen.currency,
                                           screen.currency_exponent) +
                             " in coins"};
            else
                t.details = {"Thank you"};
            break;
        case ScreenState::unavailable:
            t.tone = Tone::warning;
            t.heading = "QR payment unavailable";
            if (!screen.reason.empty()) t.details.push_back(screen.reason);
            t.details.push_back("Please pay with coins");
            break;
        case ScreenState::fault:
            t.tone = Tone::bad;
            t.heading = "Out of order";
            t.details.push_back(screen.reason.empty() ? "Machine not ready" : screen.reason);
            break;
    }
    return t;
}

}  // namespace cashbridge::display
