/// @file contract.hpp
/// Umbrella header for MQTT contract v1: topics, messages, reason codes, JWS and the verifier.
#pragma once

#include "cashbridge/mqtt/jws.hpp"
#include "cashbridge/mqtt/messages.hpp"
#include "cashbridge/mqtt/payment_verifier.hpp"
#include "cashbridge/mqtt/reason.hpp"
#include "cashbridge/mqtt/topics.hpp"
