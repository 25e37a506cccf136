// HS256 JWS signing and verification with OpenSSL's one-shot HMAC.
#include "cashbridge/mqtt/jws.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

#include "json.hpp"

namespace cashbridge::mqtt {
namespace {

constexpr std::string_view hs256_header = R"({"alg":"HS256","typ":"JWT"})";
constexpr std::size_t sha256_bytes = 32;

std::array<unsigned char, sha256_bytes> hmac_sha256(std::string_view key, std::string_view data) {
    std::array<unsigned char, sha256_bytes> mac{};
    unsigned int len = 0;
    // OpenSSL wants a non-null key pointer even for an empty key.
    static constexpr unsigned char empty = 0;
    const void* k = key.empty() ? static_cast<const void*>(&empty) : key.data();
    if (HMAC(EVP_sha256(), k, static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
             &len) == nullptr ||
        len != sha256_bytes) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    return mac;
}

std::string signing_input(std::string_view header_json, std::string_view payload_json) {
    return base64url_encode(header_json) + '.' + base64url_encode(payload_json);
}

JwsResult fail(JwsError e, std::string detail) {
    return JwsResult{false, e, std::move(detail), {}};
}

}  // namespace

std::string sign_with_header(std::string_view header_json, std::string_view payload_json,
                             std::string_view key) {
    std::string input = signing_input(header_json, payload_json);
    const auto mac = hmac_sha256(key, input);
    input += '.';
    input +=
        base64url_encode(std::string_view{reinterpret_cast<const char*>(mac.data()), mac.size()});
    return input;
}

std::string sign_hs256(std::string_view payload_json, std::string_view key) {
    return sign_with_header(hs256_header, payload_json, key);
}

std::string unsigned_token(std::string_view header_json, std::string_view payload_json) {
    return signing_input(header_json, payload_json) + '.';
}

std::string_view to_string(JwsError e) {
    switch (e) {
        case JwsError::none:
            return "none";
        case JwsError::not_jws:
            return "not_jws";
        case JwsError::bad_alg:
            return "bad_alg";
        case JwsError::bad_signature:
            return "bad_signature";
    }
    return "unknown";
}

JwsResult verify_hs256(std::string_view token, std::string_view key) {
    if (token.size() > max_token_bytes) {
        return fail(JwsError::not_jws,
                    "token longer than " + std::to_string(max_token_bytes) + " bytes");
    }
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return fail(JwsError::not_jws, "token is not three dot-separated parts");
    }
    const auto header_b64 = token.substr(0, dot1);
    const auto payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const auto sig_b64 = token.substr(dot2 + 1);

    const auto header = base64url_decode(header_b64);
    if (!header || header->empty()) return fail(JwsError::not_jws, "header is not base64url");
    const auto payload = base64url_decode(payload_b64);
    if (!payload) return fail(JwsError::not_jws, "payload is not base64url");
    const auto sig = base64url_decode(sig_b64);
    if (!sig) return fail(JwsError::not_jws, "signature is not base64url");

    const json::Ptr h = json::parse_object(*header);
    if (!h) return fail(JwsError::not_jws, "header is not a JSON object");
    // Only HS256 is ever accepted: trusting the header's alg is the classic JWT downgrade
    // ("none", or RS256 verified with the HMAC key as a public key).
    const auto alg = json::get_string(h.get(), "alg");
    if (!alg) return fail(JwsError::bad_alg, "header has no string alg");
    if (*alg != "HS256") return fail(JwsError::bad_alg, "alg \"" + *alg + "\" is not HS256");
    // RFC 7515 4.1.11: critical extensions we do not understand must be refused.
    if (json::has(h.get(), "crit")) return fail(JwsError::bad_alg, "crit header not supported");

    const auto mac = hmac_sha256(key, token.substr(0, dot2));
    if (sig->size() != mac.size() || CRYPTO_memcmp(sig->data(), mac.data(), mac.size()) != 0) {
        return fail(JwsError::bad_signature, "HMAC-SHA256 signature does not match");
    }
    return JwsResult{true, JwsError::none, {}, *payload};
}

}  // namespace cashbridge::mqtt
