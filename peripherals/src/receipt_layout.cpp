// Receipt content and layout: labels and values in two columns on a fixed-width line.
#include "cashbridge/peripherals/receipt_layout.hpp"

#include <ctime>

#include "cashbridge/display/display.hpp"
#include "cashbridge/peripherals/escpos_encoder.hpp"

namespace cashbridge::peripherals {
namespace {

std::string local_time(std::int64_t unix_time) {
    const std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return buf;
}

/// "Label        value" on one line (at least two spaces apart, so a reader, human or test,
/// can tell "Machine id" from "Machine"), or the two on their own lines when they do not fit.
void two_columns(std::vector<std::string>& out, const std::string& label, const std::string& value,
                 std::size_t width) {
    if (label.size() + 2 + value.size() <= width) {
        out.push_back(label + std::string(width - label.size() - value.size(), ' ') + value);
        return;
    }
    out.push_back(label);
    for (std::size_t i = 0; i < value.size(); i += width) out.push_back(value.substr(i, width));
}

escpos::QrLevel qr_level(bridge::QrErrorCorrection ec) {
    switch (ec) {
        case bridge::QrErrorCorrection::l:
            return escpos::QrLevel::l;
        case bridge::QrErrorCorrection::q:
            return escpos::QrLevel::q;
        case bridge::QrErrorCorrection::h:
            return escpos::QrLevel::h;
        case bridge::QrErrorCorrection::m:
            break;
    }
    return escpos::QrLevel::m;
}

}  // namespace

std::vector<std::string> receipt_lines(const ReceiptData& d, const bridge::ReceiptConfig& c) {
    const auto width = static_cast<std::size_t>(c.width);
    std::vector<std::string> out(c.header.begin(), c.header.end());
    out.push_back(std::string(width, '-'));
    out.push_back(d.kind == ReceiptKind::sale ? "RECEIPT" : "REFUND DUE");
    two_columns(out, "Machine", d.machine, width);
    if (d.machine != d.machine_id) two_columns(out, "Machine id", d.machine_id, width);
    two_columns(out, "Date", local_time(d.unix_time), width);
    two_columns(out, "Payment", d.payment_type, width);
    two_columns(out, d.kind == ReceiptKind::sale ? "Amount" : "Owed",
                display::format_amount(d.amount, d.currency, d.currency_exponent), width);
    two_columns(out, "Payment id", d.payment_id, width);
    out.push_back(std::string(width, '-'));
    out.push_back(d.kind == ReceiptKind::sale ? "Thank you" : "Show this slip to the operator");
    return out;
}

std::string encode_receipt(const ReceiptData& d, const bridge::ReceiptConfig& c) {
    const auto lines = receipt_lines(d, c);
    escpos::Encoder e;
    e.init().align(escpos::Align::center).bold(true);
    std::size_t i = 0;
    for (; i < c.header.size(); ++i) e.line(lines[i]);
    e.bold(false).align(escpos::Align::left);
    const std::size_t title = c.header.size() + 1;  // after the header and its rule
    for (; i + 1 < lines.size(); ++i) {
        if (i == title)
            e.bold(true).line(lines[i]).bold(false);
        else
            e.line(lines[i]);
    }
    e.align(escpos::Align::center).qr(d.payment_id, c.qr_module, qr_level(c.qr_ec));
    e.line(lines.back()).feed(3).cut();
    return e.bytes();
}

}  // namespace cashbridge::peripherals
