// libsodium wrappers: random tokens, token hashes, argon2id password hashes. Nothing here logs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace accounts {

inline constexpr std::string_view kSessionPrefix = "cdxs_";
inline constexpr std::string_view kApiKeyPrefix = "cdxk_";
inline constexpr std::size_t kTokenBytes = 32;  // 256 bits of randomness per session token / API key

/// `bytes` random bytes as lower-case hex.
std::string randomHex(std::size_t bytes);
/// A random RFC 4122 version 4 UUID.
std::string randomUuid();
/// prefix + 64 hex characters.
std::string newToken(std::string_view prefix);
/// True when `token` is prefix + 64 lower- or upper-case hex characters.
bool wellFormedToken(std::string_view token, std::string_view prefix);
/// BLAKE2b-256 of the token text, hex: what sessions.token_hash and api_keys.key_hash hold.
std::string tokenHash(std::string_view token);

struct PwhashCost {
    unsigned long long opslimit;
    std::size_t memlimit;
};
/// An argon2id string ("$argon2id$v=19$m=...") for `password`. Throws clipdex::Error on failure.
std::string hashPassword(std::string_view password, PwhashCost cost);
/// Constant-time verification against a crypto_pwhash_str string.
bool verifyPassword(const std::string& hash, std::string_view password);

}  // namespace accounts
