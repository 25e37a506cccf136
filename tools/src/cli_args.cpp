// Args: strict --flag VALUE parsing.
#include "cli_args.hpp"

#include <charconv>

namespace cashbridge::tools {

std::optional<std::string> Args::text(const std::string& flag) const {
    const auto it = flags.find(flag);
    if (it == flags.end()) return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> Args::integer(const std::string& flag, std::int64_t min,
                                          std::int64_t max) const {
    const auto t = text(flag);
    if (!t) return std::nullopt;
    std::int64_t v = 0;
    const auto* end = t->data() + t->size();
    const auto [p, ec] = std::from_chars(t->data(), end, v);
    if (ec != std::errc() || p != end || v < min || v > max)
        throw UsageError(flag + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + *t + "'");
    return v;
}

Args parse_args(const std::vector<std::string>& words, const std::set<std::string>& known,
                std::size_t max_positional) {
    Args a;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        if (w == "--help" || w == "-h") {
            a.help = true;
            continue;
        }
        if (w.rfind("-", 0) != 0 || w == "-") {
            if (a.positional.size() >= max_positional)
                throw UsageError("unexpected argument '" + w + "'");
            a.positional.push_back(w);
            continue;
        }
        const auto eq = w.find('=');
        const auto flag = w.substr(0, eq);
        if (!known.count(flag)) throw UsageError("unknown option '" + flag + "'");
        std::string value;
        if (eq != std::string::npos)
            value = w.substr(eq + 1);
        else if (i + 1 < words.size())
            value = words[++i];
        else
            throw UsageError("option " + flag + " needs a value");
        if (value.empty()) throw UsageError("option " + flag + " needs a non-empty value");
        if (!a.flags.emplace(flag, value).second)
            throw UsageError("option " + flag + " given twice");
    }
    return a;
}

}  // namespace cashbridge::tools
