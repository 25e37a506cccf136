// The payment verifier: every check a completion must pass before a single pulse is sent.
#include "cashbridge/mqtt/payment_verifier.hpp"

#include "cashbridge/mqtt/jws.hpp"
#include "json.hpp"

namespace cashbridge::mqtt {
namespace {

Rejection reject(Reason r, std::string detail, std::optional<std::string> id = std::nullopt) {
    return Rejection{r, std::move(detail), std::move(id)};
}

Reason from_jws(JwsError e) {
    switch (e) {
        case JwsError::bad_alg:
            return Reason::bad_alg;
        case JwsError::bad_signature:
            return Reason::bad_signature;
        case JwsError::none:
        case JwsError::not_jws:
            break;
    }
    return Reason::not_jws;
}

}  // namespace

Verdict verify_completion(std::string_view payload, const VerifierPolicy& policy,
                          std::int64_t now_unix) {
    // Size first: nothing below should parse or hash attacker-sized input.
    if (payload.size() > policy.max_payload_bytes) {
        return reject(Reason::oversized, std::to_string(payload.size()) + " bytes > " +
                                             std::to_string(policy.max_payload_bytes));
    }
    const auto envelope = decode_payment_completed(payload);
    if (!envelope) return reject(envelope.error.reason, envelope.error.detail);

    const auto jws = verify_hs256(envelope->token, policy.key);
    if (!jws.ok) return reject(from_jws(jws.error), jws.detail);

    const auto claims = decode_claims(jws.payload_json);
    if (!claims) {
        // The signature is good, so a jti that is a string can be trusted as the id.
        std::optional<std::string> id;
        if (const auto root = json::parse_object(jws.payload_json)) {
            id = json::get_string(root.get(), "jti");
        }
        return reject(Reason::bad_claims, claims.error.detail, std::move(id));
    }
    const PaymentClaims& c = *claims;
    const auto id = c.jti;

    if (policy.enforce_expiry && now_unix > c.exp + policy.leeway_seconds) {
        return reject(Reason::expired,
                      "exp " + std::to_string(c.exp) + " is before now " +
                          std::to_string(now_unix) + " (leeway " +
                          std::to_string(policy.leeway_seconds) + " s)",
                      id);
    }
    if (c.sub != policy.machine_id) {
        return reject(Reason::wrong_machine,
                      "sub \"" + c.sub + "\" is not \"" + policy.machine_id + "\"", id);
    }
    if (c.currency != policy.currency) {
        return reject(Reason::wrong_currency,
                      "currency \"" + c.currency + "\" is not \"" + policy.currency + "\"", id);
    }
    if (c.amount <= 0) {
        return reject(Reason::bad_amount, "amount " + std::to_string(c.amount) + " is not positive",
                      id);
    }
    if (c.amount > policy.max_amount) {
        return reject(
            Reason::amount_too_large,
            "amount " + std::to_string(c.amount) + " > max " + std::to_string(policy.max_amount),
            id);
    }
    if (policy.unit <= 0 || c.amount % policy.unit != 0) {
        return reject(Reason::amount_not_multiple,
                      "amount " + std::to_string(c.amount) + " is not a multiple of " +
                          std::to_string(policy.unit),
                      id);
    }
    return c;
}

PaymentRejected to_message(const Rejection& r) {
    return PaymentRejected{r.payment_id, std::string{to_string(r.reason)}, r.detail};
}

}  // namespace cashbridge::mqtt
