/// @file messages.hpp
/// The JSON messages of contract v1 as structs, with an encoder and a decoder for each so the
/// daemon and the simulator share one definition of the wire format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "cashbridge/mqtt/reason.hpp"

namespace cashbridge::mqtt {

/// Money is always an integer count of the currency's minor unit (cents): no floats on the
/// wire, so amounts compare exactly.
using MinorUnits = std::int64_t;

/// Largest integer a JSON number carries exactly (2^53); decoders refuse anything beyond.
inline constexpr std::int64_t max_json_integer = 9007199254740992;

// ---- up/session (daemon -> payment server) -------------------------------------------------

/// "session.open": a QR is on screen. `amount` is nullopt for an open amount the customer
/// chooses in the app (encoded as JSON null).
struct SessionOpen {
    std::string session;
    std::optional<MinorUnits> amount;
    std::string currency;      ///< ISO 4217, e.g. "EUR"
    std::int64_t expires = 0;  ///< unix seconds
    std::string qr;            ///< the exact QR content shown
};

/// "session.cancel": the QR is gone (timeout, machine fault, ...), `reason` is free text code.
struct SessionCancel {
    std::string session;
    std::string reason;
};

/// "session.query": asks the payment server to resend a completion it may have lost.
struct SessionQuery {
    std::string session;
};

using SessionMessage = std::variant<SessionOpen, SessionCancel, SessionQuery>;

// ---- down/payment (payment server -> daemon) -----------------------------------------------

/// "payment.completed": the envelope around the signed JWS token.
struct PaymentCompleted {
    std::string token;  ///< JWS compact serialization, HS256
};

/// The JWS payload of a completion. Verified by verify_completion() before anything trusts it.
struct PaymentClaims {
    std::string sub;  ///< machine id
    std::string jti;  ///< payment id, unique per payment (the duplicate key)
    std::string sid;  ///< session id from session.open
    MinorUnits amount = 0;
    std::string currency;
    std::int64_t iat = 0;            ///< issued at, unix seconds
    std::int64_t exp = 0;            ///< expiry, unix seconds
    std::optional<std::string> cid;  ///< payer's customer id, if the server shares it
};

// ---- up/credit (daemon -> payment server) --------------------------------------------------

/// "payment.accepted": verified; credit will be delivered (also re-sent for duplicates).
struct PaymentAccepted {
    std::string payment;
    std::string session;
    MinorUnits amount = 0;
    std::string currency;
    /// Why a late completion was credited anyway (JSON null when it was not late):
    /// "session_expired", "session_rotated", "unknown_session", "token_expired", ...
    std::optional<std::string> forced = std::nullopt;
    /// Partial payment on a fixed price: what is still due (e.g. in coins); JSON null
    /// otherwise.
    std::optional<MinorUnits> remaining = std::nullopt;
};

/// "payment.rejected": `payment` is nullopt (JSON null) when the id is unknown or untrusted.
/// `reason` is a code string: one of to_string(Reason) or a bridge-level code.
struct PaymentRejected {
    std::optional<std::string> payment;
    std::string reason;
    std::string detail;
};

/// "credit.delivered": all pulses for the payment were sent to the machine.
struct CreditDelivered {
    std::string payment;
    MinorUnits amount = 0;
    std::int64_t pulses = 0;
    /// Value of pulses whose outcome is unknown after a crash (see CreditAmbiguous); they
    /// are never re-pulsed. 0 when none.
    MinorUnits ambiguous = 0;
    /// Why delivery was forced (JSON null when not), e.g. "held_past_expiry".
    std::optional<std::string> forced = std::nullopt;
};

/// "credit.failed": delivery stopped; `delivered` + `owed` == `amount`.
struct CreditFailed {
    std::string payment;
    MinorUnits amount = 0;
    MinorUnits delivered = 0;
    MinorUnits owed = 0;
    std::string reason;
};

/// "credit.ambiguous": after a restart the journal shows pulses that were started but not
/// ended; the machine may or may not have counted them. Never re-pulsed automatically: the
/// operator refunds or audits `value`.
struct CreditAmbiguous {
    std::string payment;
    MinorUnits value = 0;     ///< minor units of the ambiguous pulses
    std::int64_t pulses = 0;  ///< how many pulses are ambiguous
};

using CreditMessage =
    std::variant<PaymentAccepted, PaymentRejected, CreditDelivered, CreditFailed, CreditAmbiguous>;

// ---- events and state ----------------------------------------------------------------------

enum class EventLevel { debug, info, warning, error };
std::string_view to_string(EventLevel l);  ///< "debug", "info", "warning", "error"
std::optional<EventLevel> event_level_from_string(std::string_view s);

/// An operator-facing event: {"v":1,"type":"event","level","name","detail","ts"}.
struct Event {
    EventLevel level = EventLevel::info;
    std::string name;  ///< short snake_case identifier, e.g. "broker_reconnected"
    std::string detail;
    std::int64_t ts = 0;  ///< unix seconds
};

enum class MachineState { ready, paid, unavailable, fault };
std::string_view to_string(MachineState s);  ///< "ready", "paid", "unavailable", "fault"
std::optional<MachineState> machine_state_from_string(std::string_view s);

/// The retained state report, {"v":1,"type":"state",...}.
struct StateReport {
    MachineState state = MachineState::unavailable;
    std::optional<std::string> session;  ///< current session id, JSON null when none
    bool inhibit = false;
    std::map<std::string, std::int64_t> counters;
    std::string version;      ///< daemon version
    std::int64_t outbox = 0;  ///< messages waiting in the durable outbox (0 when absent)
    /// Peripheral name -> its condition, e.g. "printer" -> "out_of_paper". Added after v1's
    /// first release: encoded only when non-empty, absent reads as empty.
    std::map<std::string, std::string> peripherals = {};
};

// ---- encoders: struct -> compact JSON with "v":1 and "type" --------------------------------

std::string encode(const SessionOpen& m);
std::string encode(const SessionCancel& m);
std::string encode(const SessionQuery& m);
std::string encode(const SessionMessage& m);
std::string encode(const PaymentCompleted& m);
std::string encode(const PaymentAccepted& m);
std::string encode(const PaymentRejected& m);
std::string encode(const CreditDelivered& m);
std::string encode(const CreditFailed& m);
std::string encode(const CreditAmbiguous& m);
std::string encode(const CreditMessage& m);
std::string encode(const Event& m);
std::string encode(const StateReport& m);

/// The claims as a JSON object (no "v"/"type": it is a JWS payload, not a message).
std::string encode_claims(const PaymentClaims& c);

/// What a payment server publishes on down/payment: encode(PaymentCompleted{sign_hs256(...)}).
std::string make_payment_completed(const PaymentClaims& c, std::string_view key);

// ---- decoders: JSON -> struct, or the Reason and a detail naming the problem ---------------
// Unknown extra fields are ignored and fields added after the first v1 release may be absent
// (read as null / 0), so additive changes keep v1 in both directions.

Decoded<SessionMessage> decode_session(std::string_view json);
/// Envelope only: malformed_json / unsupported_version / unknown_type. The token is not checked.
Decoded<PaymentCompleted> decode_payment_completed(std::string_view json);
/// Claims: bad_claims names the first missing or ill-typed claim. Values are not judged.
Decoded<PaymentClaims> decode_claims(std::string_view json);
Decoded<CreditMessage> decode_credit(std::string_view json);
Decoded<Event> decode_event(std::string_view json);
Decoded<StateReport> decode_state(std::string_view json);

}  // namespace cashbridge::mqtt
