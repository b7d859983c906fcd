#include "crypto.hpp"

#include <sodium.h>

#include <clipdex/plugin.hpp>
#include <vector>

namespace accounts {
namespace {

std::string toHex(const unsigned char* data, std::size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}

}  // namespace

std::string randomHex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    randombytes_buf(buffer.data(), buffer.size());
    std::string hex = toHex(buffer.data(), buffer.size());
    sodium_memzero(buffer.data(), buffer.size());
    return hex;
}

std::string randomUuid() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    const std::string hex = toHex(bytes, sizeof bytes);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
           hex.substr(20);
}

std::string newToken(std::string_view prefix) {
    return std::string(prefix) + randomHex(kTokenBytes);
}

bool wellFormedToken(std::string_view token, std::string_view prefix) {
    if (token.size() != prefix.size() + kTokenBytes * 2 || token.substr(0, prefix.size()) != prefix) return false;
    for (const char c : token.substr(prefix.size()))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

std::string tokenHash(std::string_view token) {
    // Hex case is not significant in a token; hash one spelling so either case finds the row.
    std::string canonical(token);
    for (std::size_t i = 0; i < canonical.size(); ++i)
        if (canonical[i] >= 'A' && canonical[i] <= 'F') canonical[i] = static_cast<char>(canonical[i] - 'A' + 'a');
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(canonical.data()),
                       canonical.size(), nullptr, 0);
    sodium_memzero(canonical.data(), canonical.size());
    return toHex(digest, sizeof digest);
}

std::string hashPassword(std::string_view password, PwhashCost cost) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), cost.opslimit, cost.memlimit) != 0)
        throw clipdex::Error(CDX_E_UNAVAILABLE, "not enough memory to hash the password; try again later");
    return out;
}

bool verifyPassword(const std::string& hash, std::string_view password) {
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace accounts
