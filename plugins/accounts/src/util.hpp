// Small helpers of the accounts plugin: time stamps, validation of user input, config values.
#pragma once

#include <chrono>
#include <clipdex/plugin.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accounts {

using clipdex::json;
using SystemClock = std::chrono::system_clock;

/// "2026-11-26T02:40:00Z" (UTC, whole seconds): the one format this plugin writes, so text order is time order.
std::string isoTime(SystemClock::time_point when);
/// Reads "YYYY-MM-DDTHH:MM:SS[.fff][Z]" or SQLite's "YYYY-MM-DD HH:MM:SS" (both UTC). nullopt when unreadable.
std::optional<SystemClock::time_point> parseIsoTime(std::string_view text);

/// Trims and lower-cases an email, then checks its shape. Throws INVALID_ARGUMENT naming the field.
std::string normalizeEmail(std::string_view raw);
/// Throws INVALID_ARGUMENT naming "password" unless it has at least `min_chars` characters (code points).
void checkPasswordPolicy(std::string_view password, std::size_t min_chars);

/// A string argument (empty when absent or null).
std::string stringArg(const json& args, const char* name);
/// An integer from the plugin's config, clamped to [low, high]; `fallback` when absent or not a number.
std::int64_t configInt(const clipdex::Host& host, const char* key, std::int64_t fallback, std::int64_t low,
                       std::int64_t high);

/// Throws INVALID_ARGUMENT with {"field": field}.
[[noreturn]] void invalidField(const std::string& field, const std::string& message);

}  // namespace accounts
