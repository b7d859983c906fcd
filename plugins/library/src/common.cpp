#include "common.hpp"

#include <sys/stat.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <random>

namespace library {

namespace {

std::string isoFromParts(std::time_t seconds, long fraction, int digits) {
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%0*ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, digits, fraction);
    return text;
}

}  // namespace

FileFacts fileFacts(const json& inputs) {
    const json& file = inputs.at("file");
    FileFacts facts;
    const std::filesystem::path path = file.at("path").get<std::string>();
    facts.path = std::filesystem::absolute(path).lexically_normal().string();
    facts.name =
        file.contains("name") && file["name"].is_string() ? file["name"].get<std::string>() : path.filename().string();
    struct stat info {};
    const bool have_stat = ::stat(facts.path.c_str(), &info) == 0;
    if (file.contains("size_bytes") && file["size_bytes"].is_number_integer())
        facts.size = file["size_bytes"].get<std::int64_t>();
    else if (have_stat)
        facts.size = static_cast<std::int64_t>(info.st_size);
    if (file.contains("mtime_ns") && file["mtime_ns"].is_number_integer())
        facts.mtime = isoFromNanoseconds(file["mtime_ns"].get<std::int64_t>());
    else if (file.contains("mtime") && file["mtime"].is_string())
        facts.mtime = file["mtime"];
    else if (have_stat)
        facts.mtime =
            isoFromNanoseconds(static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec);
    return facts;
}

bool forceRequested(const json& inputs) {
    if (!inputs.contains("options") || !inputs["options"].is_object()) return false;
    const json& force = inputs["options"].value("force", json(false));
    return force.is_boolean() && force.get<bool>();
}

std::string ownerOf(const clipdex::Context& ctx) {
    const json principal = ctx.principal();
    const auto id = principal.find("id");
    return id != principal.end() && id->is_string() && !id->get<std::string>().empty() ? id->get<std::string>()
                                                                                         : std::string("local");
}

const json& stepOutputs(const json& inputs, const char* step_id) {
    static const json kEmpty = json::object();
    if (!inputs.contains("steps") || !inputs["steps"].is_object()) return kEmpty;
    const json& steps = inputs["steps"];
    const auto found = steps.find(step_id);
    return found != steps.end() && found->is_object() ? *found : kEmpty;
}

std::string nowIso() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    return isoFromParts(static_cast<std::time_t>(micros / 1'000'000), static_cast<long>(micros % 1'000'000), 6);
}

std::string isoFromNanoseconds(std::int64_t ns) {
    std::int64_t seconds = ns / 1'000'000'000;
    std::int64_t fraction = ns % 1'000'000'000;
    if (fraction < 0) {
        fraction += 1'000'000'000;
        --seconds;
    }
    return isoFromParts(static_cast<std::time_t>(seconds), static_cast<long>(fraction), 9);
}

std::string newUuid() {
    thread_local std::mt19937_64 engine = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    std::array<unsigned char, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 8) {
        std::uint64_t word = engine();
        for (std::size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0F];
    }
    return text;
}

}  // namespace library
