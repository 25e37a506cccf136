// JWS HS256: round trip, the RFC 7515 A.1 known answer, and every refusal path.
#include "cashbridge/mqtt/jws.hpp"

#include <gtest/gtest.h>

namespace cashbridge::mqtt {
namespace {

TEST(Base64Url, RoundTripsAllLengths) {
    std::string data;
    for (int i = 0; i < 70; ++i) {
        const auto back = base64url_decode(base64url_encode(data));
        ASSERT_TRUE(back.has_value()) << i;
        EXPECT_EQ(*back, data);
        data += static_cast<char>(i * 37);
    }
    EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
}

TEST(Base64Url, RejectsPaddingAndForeignCharacters) {
    EXPECT_FALSE(base64url_decode("YQ=="));
    EXPECT_FALSE(base64url_decode("a+b/"));
    EXPECT_FALSE(base64url_decode("ab c"));
    EXPECT_FALSE(base64url_decode("abcde"));  // 4n+1 characters
    EXPECT_FALSE(base64url_decode("YR"));     // non-zero leftover bits
    EXPECT_EQ(base64url_decode("YQ"), "a");
}

TEST(Jws, SignThenVerifyReturnsPayload) {
    const std::string payload = R"({"sub":"m1","amount":100})";
    const auto token = sign_hs256(payload, "secret");
    const auto r = verify_hs256(token, "secret");
    ASSERT_TRUE(r.ok) << r.detail;
    EXPECT_EQ(r.error, JwsError::none);
    EXPECT_EQ(r.payload_json, payload);
}

TEST(Jws, Rfc7515AppendixA1KnownAnswer) {
    const auto key = base64url_decode(
        "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    ASSERT_TRUE(key);
    const std::string token =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0c"
        "nVlfQ"
        ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const auto r = verify_hs256(token, *key);
    ASSERT_TRUE(r.ok) << r.detail;
    EXPECT_EQ(r.payload_json,
              "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
    // The same input signed by us must give the RFC's signature byte for byte.
    const auto resigned =
        sign_with_header("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}", r.payload_json, *key);
    EXPECT_EQ(resigned, token);
}

TEST(Jws, TamperedPayloadOrSignatureFails) {
    const auto token = sign_hs256(R"({"amount":100})", "k");
    const auto dot1 = token.find('.');
    const auto dot2 = token.find('.', dot1 + 1);
    const std::string forged_payload =
        token.substr(0, dot1 + 1) + base64url_encode(R"({"amount":900})") + token.substr(dot2);
    EXPECT_EQ(verify_hs256(forged_payload, "k").error, JwsError::bad_signature);

    std::string forged_sig = token;
    forged_sig.back() = forged_sig.back() == 'A' ? 'Q' : 'A';
    EXPECT_EQ(verify_hs256(forged_sig, "k").error, JwsError::bad_signature);

    EXPECT_EQ(verify_hs256(token, "other key").error, JwsError::bad_signature);
    EXPECT_EQ(verify_hs256(token.substr(0, dot2 + 1), "k").error, JwsError::bad_signature);
}

TEST(Jws, OnlyHs256IsAccepted) {
    const std::string p = R"({"amount":100})";
    EXPECT_EQ(verify_hs256(unsigned_token(R"({"alg":"none"})", p), "k").error, JwsError::bad_alg);
    EXPECT_EQ(verify_hs256(sign_with_header(R"({"alg":"none"})", p, "k"), "k").error,
              JwsError::bad_alg);
    EXPECT_EQ(verify_hs256(sign_with_header(R"({"alg":"RS256"})", p, "k"), "k").error,
              JwsError::bad_alg);
    EXPECT_EQ(verify_hs256(sign_with_header(R"({"typ":"JWT"})", p, "k"), "k").error,
              JwsError::bad_alg);
    EXPECT_EQ(verify_hs256(sign_with_header(R"({"alg":"hs256"})", p, "k"), "k").error,
              JwsError::bad_alg);
    EXPECT_EQ(verify_hs256(sign_with_header(R"({"alg":256})", p, "k"), "k").error,
              JwsError::bad_alg);
}

TEST(Jws, MalformedTokensAreNotJws) {
    const auto good = sign_hs256("{}", "k");
    for (const std::string& t : {std::string{""}, std::string{"abc"}, std::string{"a.b"},
                                 good + ".x", std::string{"..."}, "a+b." + good.substr(0, 3)}) {
        EXPECT_EQ(verify_hs256(t, "k").error, JwsError::not_jws) << t;
    }
    EXPECT_EQ(verify_hs256(sign_with_header("not json", "{}", "k"), "k").error, JwsError::not_jws);
    EXPECT_EQ(verify_hs256(sign_with_header("[1]", "{}", "k"), "k").error, JwsError::not_jws);
    EXPECT_EQ(verify_hs256("e30.e30.a=b", "k").error, JwsError::not_jws);
    EXPECT_EQ(verify_hs256(std::string(max_token_bytes + 1, 'a'), "k").error, JwsError::not_jws);
    EXPECT_EQ(to_string(JwsError::bad_signature), "bad_signature");
}

}  // namespace
}  // namespace cashbridge::mqtt
