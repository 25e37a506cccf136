/// @file payment_verifier.hpp
/// Decides whether a down/payment message may be credited. Pure logic: no I/O, injected time,
/// so every reject path is testable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/reason.hpp"

namespace cashbridge::mqtt {

/// What this machine accepts.
struct VerifierPolicy {
    std::string machine_id;
    std::string key;            ///< raw HS256 secret bytes (the key file's content)
    std::string currency;       ///< e.g. "EUR"
    MinorUnits max_amount = 0;  ///< largest credit per payment
    MinorUnits unit = 1;        ///< smallest pulse value; amounts must be multiples
    std::size_t max_payload_bytes = 4096;
    std::int64_t leeway_seconds = 30;  ///< tolerated clock skew on exp
    /// false skips the exp check (and only it): the caller then applies its own rule to
    /// late completions, e.g. crediting an unseen payment id as "forced" when its iat is
    /// recent enough, and rejecting it as Reason::expired otherwise.
    bool enforce_expiry = true;
};

/// Why a completion was refused.
struct Rejection {
    Reason reason = Reason::malformed_json;
    std::string detail;
    /// The jti, set only when the signature verified: an unverified id is never reported as
    /// a payment id (it only appears inside `detail`).
    std::optional<std::string> payment_id;
};

/// Either the verified claims or the rejection.
using Verdict = std::variant<PaymentClaims, Rejection>;

/// Runs the checks in this order, stopping at the first failure: size, JSON envelope, v,
/// type, token (JWS shape, alg, signature), claim types, exp (+leeway; only when
/// policy.enforce_expiry), sub, currency, amount > 0, amount <= max_amount,
/// amount % unit == 0.
Verdict verify_completion(std::string_view payload, const VerifierPolicy& policy,
                          std::int64_t now_unix);

/// The payment.rejected message for `r`.
PaymentRejected to_message(const Rejection& r);

}  // namespace cashbridge::mqtt
