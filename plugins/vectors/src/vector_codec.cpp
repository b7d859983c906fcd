#include "vector_codec.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace vectors {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int decodeChar(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

std::uint32_t toLittle(std::uint32_t value) {
    if constexpr (std::endian::native == std::endian::little) return value;
    return ((value & 0xFFu) << 24) | ((value & 0xFF00u) << 8) | ((value >> 8) & 0xFF00u) | (value >> 24);
}

}  // namespace

std::string encodeVector(const std::vector<float>& values) {
    std::string bytes(values.size() * 4, '\0');
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint32_t bits = toLittle(std::bit_cast<std::uint32_t>(values[i]));
        std::memcpy(bytes.data() + 4 * i, &bits, 4);
    }
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t left = bytes.size() - i;
        std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
        if (left > 1) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (left > 2) chunk |= static_cast<unsigned char>(bytes[i + 2]);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += left > 2 ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

std::vector<float> decodeVector(std::string_view text, std::size_t dimension) {
    std::string bytes;
    bytes.reserve(text.size() * 3 / 4);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        if (c == '=' || c == '\n' || c == '\r') continue;
        const int value = decodeChar(c);
        if (value < 0) throw std::invalid_argument("vector text is not base64");
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    if (bytes.size() % 4 != 0) throw std::invalid_argument("vector bytes are not whole float32 values");
    const std::size_t n = bytes.size() / 4;
    if (dimension != 0 && n != dimension)
        throw std::invalid_argument("vector has " + std::to_string(n) + " values, expected " +
                                    std::to_string(dimension));
    std::vector<float> values(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t raw = 0;
        std::memcpy(&raw, bytes.data() + 4 * i, 4);
        values[i] = std::bit_cast<float>(toLittle(raw));
    }
    return values;
}

bool normalise(std::vector<float>& values) {
    double sum = 0;
    for (const float v : values) sum += static_cast<double>(v) * v;
    if (!(sum > 0) || !std::isfinite(sum)) return false;
    const double scale = 1.0 / std::sqrt(sum);
    for (float& v : values) v = static_cast<float>(v * scale);
    return true;
}

float dot(const float* a, const float* b, std::size_t n) {
    float sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
}

std::vector<float> meanNormalised(const std::vector<std::vector<float>>& vectors) {
    if (vectors.empty()) return {};
    std::vector<float> mean(vectors.front().size(), 0.0F);
    for (const auto& v : vectors) {
        if (v.size() != mean.size()) throw std::invalid_argument("vectors to average differ in length");
        for (std::size_t i = 0; i < v.size(); ++i) mean[i] += v[i];
    }
    if (!normalise(mean)) return {};
    return mean;
}

}  // namespace vectors
