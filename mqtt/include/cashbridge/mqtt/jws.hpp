/// @file jws.hpp
/// JWS compact serialization with HS256 (RFC 7515/7518): how payment completions are signed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::mqtt {

/// Tokens longer than this are refused before any decoding, so a hostile publisher cannot
/// make the verifier allocate or hash arbitrary amounts of data.
inline constexpr std::size_t max_token_bytes = 4096;

/// Base64url (RFC 4648 section 5) without padding, as JWS requires.
std::string base64url_encode(std::string_view data);

/// Decodes unpadded base64url. Returns nullopt on any character outside the base64url
/// alphabet (including '=' padding, '+', '/', whitespace) or an impossible length (4n+1).
std::optional<std::string> base64url_decode(std::string_view text);

/// Signs `payload_json` as `header.payload.signature` with header {"alg":"HS256","typ":"JWT"}.
/// `key` is the raw shared secret (any bytes).
std::string sign_hs256(std::string_view payload_json, std::string_view key);

/// Builds a token with an arbitrary header, signed with HMAC-SHA256 whatever the header says.
/// Meant for negative tests (e.g. {"alg":"RS256"} or a header that is not JSON).
std::string sign_with_header(std::string_view header_json, std::string_view payload_json,
                             std::string_view key);

/// Builds `header.payload.` with an empty signature, the shape of an {"alg":"none"} token.
std::string unsigned_token(std::string_view header_json, std::string_view payload_json);

/// Why a token was refused, in the order the checks run.
enum class JwsError {
    none,           ///< verified
    not_jws,        ///< too long, not three base64url parts, or header not a JSON object
    bad_alg,        ///< "alg" missing, not a string, or anything but "HS256" (including "none")
    bad_signature,  ///< HMAC does not match
};

/// Stable snake_case name of `e` ("none", "not_jws", "bad_alg", "bad_signature").
std::string_view to_string(JwsError e);

/// Outcome of verify_hs256().
struct JwsResult {
    bool ok = false;
    JwsError error = JwsError::not_jws;
    std::string detail;        ///< human-readable reason, empty when ok
    std::string payload_json;  ///< decoded payload (not parsed), set only when ok
};

/// Verifies a compact HS256 token. The signature comparison is constant-time. The payload
/// is not parsed: claims are the caller's business.
JwsResult verify_hs256(std::string_view token, std::string_view key);

}  // namespace cashbridge::mqtt
