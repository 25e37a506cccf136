// EscPosParser: ESC/POS commands -> text lines, QR payloads, status queries, cuts.
#include "cashbridge/sim/escpos_parser.hpp"

#include <cstdio>
#include <utility>

namespace cashbridge::sim {
namespace {

constexpr char ESC = 0x1b, GS = 0x1d, DLE = 0x10, EOT = 0x04, LF = 0x0a, CR = 0x0d;

std::uint8_t u8(char c) {
    return static_cast<std::uint8_t>(c);
}

std::string hex(std::string_view bytes) {
    std::string s;
    char b[4];
    for (const char c : bytes.substr(0, 8)) {
        std::snprintf(b, sizeof b, "%02x ", u8(c));
        s += b;
    }
    return s.empty() ? s : s.substr(0, s.size() - 1);
}

/// Argument bytes after ESC x / GS x for the commands that take a fixed number of them.
int fixed_args(char prefix, char cmd) {
    if (prefix == ESC) {
        switch (cmd) {
            case '@':
                return 0;  // initialize
            case 'a':
            case 'E':
            case 'd':  // align, emphasis, feed lines
            case '!':
            case '-':
            case 'M':  // print mode, underline, font
            case 'J':
            case 't':
            case 'G':  // feed dots, code table, double strike
                return 1;
            default:
                return -1;
        }
    }
    switch (cmd) {
        case '!':
        case 'B':
        case 'b':  // size, reverse, smoothing
            return 1;
        default:
            return -1;
    }
}

}  // namespace

std::vector<std::uint8_t> EscPosParser::feed(std::string_view bytes) {
    pending_.append(bytes);
    std::vector<std::uint8_t> queries;
    std::size_t at = 0;
    while (at < pending_.size()) {
        const auto used = parse_one(std::string_view(pending_).substr(at), queries);
        if (used == 0) break;
        at += used;
    }
    pending_.erase(0, at);
    return queries;
}

std::vector<PrintedReceipt> EscPosParser::take_receipts() {
    return std::exchange(done_, {});
}

void EscPosParser::error(std::string text) {
    if (errors_.size() < 100) errors_.push_back(std::move(text));
}

void EscPosParser::end_line() {
    current_.lines.push_back(std::exchange(line_, {}));
}

std::size_t EscPosParser::parse_one(std::string_view p, std::vector<std::uint8_t>& queries) {
    const char c = p[0];
    if (c == LF) {
        end_line();
        return 1;
    }
    if (c == CR) return 1;  // LF ends the line; a CR before it adds nothing visible
    if (c == DLE) {
        if (p.size() < 3) return 0;
        if (p[1] != EOT) {
            error("unknown DLE command " + hex(p.substr(0, 3)));
            return 2;
        }
        queries.push_back(u8(p[2]));
        return 3;
    }
    if (c == ESC || c == GS) {
        if (p.size() < 2) return 0;
        if (c == GS && p[1] == '(') {
            if (p.size() < 3) return 0;
            if (p[2] != 'k') {
                error("unknown GS ( command " + hex(p.substr(0, 3)));
                return 3;
            }
            return parse_qr(p);
        }
        if (c == GS && p[1] == 'V') {  // cut: GS V m, or GS V m n for m 65/66
            if (p.size() < 3) return 0;
            const bool with_feed = p[2] == 'A' || p[2] == 'B';
            if (with_feed && p.size() < 4) return 0;
            if (!line_.empty()) end_line();
            current_.cut = true;
            done_.push_back(std::exchange(current_, {}));
            return with_feed ? 4 : 3;
        }
        if (c == ESC && p[1] == 'd') {  // feed n lines: blank paper, not text
            if (p.size() < 3) return 0;
            return 3;
        }
        if (c == ESC && p[1] == '@') {
            line_.clear();  // initialize drops an unfinished line from the buffer
            return 2;
        }
        const int n = fixed_args(c, p[1]);
        if (n < 0) {
            error("unknown command " + hex(p.substr(0, 2)));
            return 2;
        }
        if (p.size() < static_cast<std::size_t>(2 + n)) return 0;
        return static_cast<std::size_t>(2 + n);
    }
    if (u8(c) < 0x20 || u8(c) == 0x7f) {
        error("unexpected control byte " + hex(p.substr(0, 1)));
        return 1;
    }
    line_ += c;
    ++content_bytes_;
    return 1;
}

std::size_t EscPosParser::parse_qr(std::string_view p) {
    // GS ( k pL pH cn fn [params]: pL + 256 pH bytes follow pH.
    if (p.size() < 5) return 0;
    const std::size_t n = u8(p[3]) + 256u * u8(p[4]);
    if (p.size() < 5 + n) return 0;
    const auto body = p.substr(5, n);
    const std::size_t used = 5 + n;
    if (n < 2 || body[0] != '1') {
        error("GS ( k: not a QR code function (cn " + hex(body.substr(0, 1)) + ")");
        return used;
    }
    const auto params = body.substr(2);
    switch (body[1]) {
        case 'A':  // 165: model
            if (params.size() == 2 && (params[0] == '1' || params[0] == '2'))
                qr_.model = params[0] - '0';
            else
                error("QR model: bad parameters " + hex(params));
            break;
        case 'C':  // 167: module size
            if (params.size() == 1 && u8(params[0]) >= 1 && u8(params[0]) <= 16)
                qr_.module = u8(params[0]);
            else
                error("QR module size: bad parameters " + hex(params));
            break;
        case 'E':  // 169: error correction 48..51
            if (params.size() == 1 && u8(params[0]) >= 48 && u8(params[0]) <= 51)
                qr_.error_correction = "LMQH"[u8(params[0]) - 48];
            else
                error("QR error correction: bad parameters " + hex(params));
            break;
        case 'P':  // 180: store, m = '0'
            if (params.size() >= 2 && params[0] == '0')
                stored_ = std::string(params.substr(1));
            else
                error("QR store: bad parameters");
            break;
        case 'Q':  // 181: print what was stored
            if (!stored_) {
                error("QR print with nothing stored");
                break;
            }
            if (!line_.empty()) end_line();
            qr_.payload = *stored_;
            content_bytes_ += stored_->size();
            current_.qr_codes.push_back(qr_);
            break;
        default:
            error("QR function " + hex(body.substr(1, 1)) + " not supported");
    }
    return used;
}

}  // namespace cashbridge::sim
