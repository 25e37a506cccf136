/// @file reason.hpp
/// Reject reason codes of contract v1: the stable strings a payment server sees in
/// payment.rejected, and the error codes of every decoder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cashbridge::mqtt {

/// Every code maps to a stable snake_case string (to_string); docs/protocol.md lists them.
enum class Reason {
    malformed_json,       ///< not JSON, not an object, or a required field missing/ill-typed
    unsupported_version,  ///< "v" missing or not 1
    unknown_type,         ///< "type" missing or not expected on this topic
    oversized,            ///< payload larger than the policy allows
    not_jws,              ///< token is not a JWS compact serialization
    bad_alg,              ///< JWS alg is not HS256
    bad_signature,        ///< HMAC does not verify with the machine's key
    bad_claims,           ///< a claim is missing or of the wrong type
    expired,              ///< exp (plus leeway) is in the past
    wrong_machine,        ///< sub is not this machine
    wrong_currency,       ///< currency differs from the machine's
    bad_amount,           ///< amount not positive
    amount_too_large,     ///< amount above the machine's maximum
    amount_not_multiple,  ///< amount not a multiple of the smallest pulse value
};

/// The stable wire string of `r`, e.g. "bad_signature".
std::string_view to_string(Reason r);

/// Inverse of to_string(); nullopt for strings that are not a known code.
std::optional<Reason> reason_from_string(std::string_view s);

/// What a decoder reports when a message cannot be turned into its struct.
struct DecodeError {
    Reason reason = Reason::malformed_json;
    std::string detail;  ///< names the offending field, for logs and payment.rejected.detail
};

/// Result of a decoder: `value` on success, otherwise `error`.
template <class T>
struct Decoded {
    std::optional<T> value;
    DecodeError error;  ///< meaningful only when !value
    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

}  // namespace cashbridge::mqtt
