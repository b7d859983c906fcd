// Helpers shared by the search plugin's backend and commands: catalog rows, clip lookup, timecodes.
#pragma once

#include <clipdex/plugin.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace search {

using clipdex::json;

/// The clips columns holding JSON documents as text.
bool isJsonColumn(const std::string& column);

/// A catalog row with its JSON columns parsed (text that is not valid JSON is left as text).
json parseJsonColumns(json row);

/// A clips row for listings: JSON columns parsed, `metadata` dropped, `resolution` ("1920x1080") added,
/// `content_tags` defaulting to [].
json listingRow(json row);

/// The clips columns as a select list with table alias `alias` ("c" → "c.id, c.user_id, ..."), leaving out
/// `metadata` (every step's raw outputs, several KB) unless asked for: rows cross the plugin ABI as JSON
/// text, so a listing or a clip lookup that selected it would copy it over and over for nothing.
std::string clipColumns(std::string_view alias = {}, bool with_metadata = false);

/// The clips row for a full id or a unique prefix of 8+ characters (JSON columns parsed; `metadata` only
/// when asked for). NOT_FOUND "Clip not found: <id>"; INVALID_ARGUMENT when the prefix is ambiguous.
json findClip(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& id,
              bool with_metadata = false);

/// Seconds as "HH:MM:SS.mmm" (negative and non-finite values read as 0).
std::string timecode(double seconds);

/// An integer argument with a default and bounds; INVALID_ARGUMENT naming the field otherwise.
std::int64_t intArg(const json& args, const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max);

/// A string argument, or "" when absent or null.
std::string stringArg(const json& args, const char* name);

/// Milliseconds since `start` (steady clock, in nanoseconds from steadyNanos()).
std::int64_t steadyNanos();
double elapsedMs(std::int64_t start_ns);

}  // namespace search
