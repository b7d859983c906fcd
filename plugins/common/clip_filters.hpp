// The clip filters of every search backend and listing command, in one place: the full-text backend and the
// search commands (clipdex.search) and the semantic / hybrid / similar backends (clipdex.vectors) all turn a
// filters object into one parameterised WHERE fragment over the clips table (alias `c`). Values are always
// bound, never spliced into the SQL. Header-only, public SDK only: each plugin compiles its own copy.
#pragma once

#include <algorithm>
#include <cctype>
#include <clipdex/plugin.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace clipdex_filters {

using clipdex::json;

struct Where {
    std::string sql = "1 = 1";     ///< conditions joined by AND, to follow a WHERE
    json params = json::object();  ///< bound values, names prefixed "f_"
};

namespace detail {

[[noreturn]] inline void invalid(const std::string& field, const std::string& message) {
    throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "filter '" + field + "' " + message, {{"field", field}});
}

inline std::string shown(const json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

inline double numberValue(const std::string& field, const json& value) {
    double number = NAN;
    if (value.is_number()) {
        number = value.get<double>();
    } else if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        char* end = nullptr;
        number = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) number = NAN;
    }
    if (!std::isfinite(number) || number < 0)
        invalid(field, "must be a number of seconds >= 0 (got " + shown(value) + ")");
    return number;
}

inline std::int64_t integerValue(const std::string& field, const json& value) {
    const double number = value.is_number_integer() ? value.get<double>() : numberValue(field, value);
    if (number != std::floor(number) || number > 1e9)
        invalid(field, "must be a whole number of pixels (got " + shown(value) + ")");
    return static_cast<std::int64_t>(number);
}

inline bool boolValue(const std::string& field, const json& value) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number_integer() && (value == 0 || value == 1)) return value == 1;
    if (value.is_string()) {
        std::string text = value.get<std::string>();
        std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
        if (text == "true" || text == "yes" || text == "1" || text == "on") return true;
        if (text == "false" || text == "no" || text == "0" || text == "off") return false;
    }
    invalid(field, "must be true or false (got " + shown(value) + ")");
}

inline std::string textValue(const std::string& field, const json& value, std::size_t max_length = 128) {
    if (!value.is_string() || value.get_ref<const std::string&>().empty())
        invalid(field, "must be a non-empty string (got " + shown(value) + ")");
    const std::string& text = value.get_ref<const std::string&>();
    if (text.size() > max_length)
        invalid(field,
                "is too long (" + std::to_string(text.size()) + " bytes; at most " + std::to_string(max_length) + ")");
    return text;
}

/// ISO 8601 date or date-time; a bare date as an upper bound means the end of that day.
inline std::string dateValue(const std::string& field, const json& value, bool upper_bound) {
    static const std::regex kIso(R"(^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$)");
    const std::string text = value.is_string() ? value.get<std::string>() : std::string();
    if (text.size() > 40 || !std::regex_match(text, kIso))
        invalid(field, "must be an ISO 8601 date like 2026-01-31 or 2026-01-31T12:00:00Z (got " + shown(value) + ")");
    if (text.size() == 10 && upper_bound) return text + "T23:59:59.999999999Z";
    return text;
}

/// "yes"/"no" or an HDR format name as the media plugin writes it (hdr_format).
inline std::string hdrValue(const json& value) {
    std::string key;
    if (value.is_boolean()) key = value.get<bool>() ? "yes" : "no";
    if (value.is_string())
        for (unsigned char c : value.get_ref<const std::string&>())
            if (!std::isspace(c) && c != '_' && c != '-') key += static_cast<char>(std::tolower(c));
    if (key == "yes" || key == "true" || key == "1" || key == "hdr" || key == "any") return "yes";
    if (key == "no" || key == "false" || key == "0" || key == "sdr" || key == "none") return "no";
    if (key == "hdr10") return "HDR10";
    if (key == "hdr10+" || key == "hdr10plus") return "HDR10+";
    if (key == "hlg") return "HLG";
    if (key == "dolbyvision" || key == "dv" || key == "dovi") return "Dolby Vision";
    invalid("hdr", "must be yes, no, or an HDR format: HDR10, HDR10+, HLG, Dolby Vision (got " + shown(value) + ")");
}

/// The container names clipdex.media stores ("MPEG-4", "QuickTime", "Matroska" ...), also from a file
/// extension ("mp4", "mov", "mkv" ...); anything else is compared as given.
inline std::string containerName(const std::string& given) {
    static const std::vector<std::pair<std::vector<std::string>, std::string>> kAliases = {
        {{"mp4", "m4v", "mpeg4", "mpeg-4"}, "MPEG-4"},
        {{"mov", "qt", "quicktime"}, "QuickTime"},
        {{"mkv", "matroska"}, "Matroska"},
        {{"webm"}, "WebM"},
        {{"ts", "m2ts", "mts", "mpegts", "mpeg-ts"}, "MPEG-TS"},
        {{"mpg", "mpeg", "vob", "mpegps", "mpeg-ps"}, "MPEG-PS"},
        {{"avi"}, "AVI"},
        {{"mxf"}, "MXF"}};
    std::string key;
    for (unsigned char c : given) key += static_cast<char>(std::tolower(c));
    if (!key.empty() && key.front() == '.') key.erase(0, 1);
    for (const auto& [aliases, name] : kAliases)
        if (std::find(aliases.begin(), aliases.end(), key) != aliases.end()) return name;
    return given;
}

// The HDR format of the primary video stream: clipdex's media plugin writes video[0].hdr_format; the
// original tool's technical metadata had color_details.hdr.format.
inline constexpr const char* kHdrFormat =
    "(CASE WHEN json_valid(c.technical_metadata) THEN COALESCE("
    "json_extract(c.technical_metadata, '$.video[0].hdr_format'), "
    "json_extract(c.technical_metadata, '$.color_details.hdr.format')) END)";

}  // namespace detail

/// The filter names, as declared in every command's args schema.
inline const std::vector<std::string>& filterNames() {
    static const std::vector<std::string> kNames = {
        "duration_min", "duration_max",   "codec",          "min_height",     "min_width",       "hdr",
        "camera_make",  "camera_model",   "created_after",  "created_before", "processed_after", "processed_before",
        "category",     "has_transcript", "audio_language", "container"};
    return kNames;
}

/// The filters among a command's arguments (absent and null ones left out).
inline json filtersFromArgs(const json& args) {
    json filters = json::object();
    if (!args.is_object()) return filters;
    for (const std::string& name : filterNames())
        if (args.contains(name) && !args[name].is_null()) filters[name] = args[name];
    return filters;
}

/// Checks and turns a filters object into SQL. Unknown names and bad values throw
/// Error(CDX_E_INVALID_ARGUMENT, message naming the field and what to give, {"field": name}).
inline Where buildWhere(const json& filters) {
    using namespace detail;
    Where where;
    if (filters.is_null()) return where;
    if (!filters.is_object()) invalid("filters", "must be an object of filter names to values");
    std::vector<std::string> conditions;
    auto add = [&](const std::string& condition, const std::string& name, json value) {
        conditions.push_back(condition);
        where.params["f_" + name] = std::move(value);
    };
    const auto& names = filterNames();
    for (const auto& [name, value] : filters.items()) {
        if (std::find(names.begin(), names.end(), name) == names.end())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT,
                                 "unknown filter '" + name +
                                     "'; known filters: duration_min, duration_max, codec, min_height, min_width, "
                                     "hdr, camera_make, camera_model, created_after, created_before, processed_after, "
                                     "processed_before, category, has_transcript, audio_language, container",
                                 {{"field", name}});
        if (value.is_null()) continue;
        if (name == "duration_min") {
            add("c.duration_seconds >= :f_duration_min", name, numberValue(name, value));
        } else if (name == "duration_max") {
            add("c.duration_seconds <= :f_duration_max", name, numberValue(name, value));
        } else if (name == "min_height" || name == "min_width") {
            const std::string column = name == "min_height" ? "height" : "width";
            add("c." + column + " >= :f_" + name, name, integerValue(name, value));
        } else if (name == "codec") {
            add("c.codec = :f_codec COLLATE NOCASE", name, textValue(name, value, 64));
        } else if (name == "camera_make" || name == "camera_model" || name == "category") {
            const std::string column = name == "category" ? "content_category" : name;
            add("c." + column + " = :f_" + name + " COLLATE NOCASE", name, textValue(name, value));
        } else if (name == "container") {
            add("c.container = :f_container COLLATE NOCASE", name, containerName(textValue(name, value, 64)));
        } else if (name == "hdr") {
            const std::string hdr = hdrValue(value);
            if (hdr == "yes")
                conditions.push_back(std::string(kHdrFormat) + " IS NOT NULL");
            else if (hdr == "no")
                conditions.push_back(std::string(kHdrFormat) + " IS NULL");
            else
                add(std::string(kHdrFormat) + " = :f_hdr COLLATE NOCASE", name, hdr);
        } else if (name == "created_after" || name == "processed_after") {
            const std::string column = name == "created_after" ? "created_at" : "processed_at";
            add("c." + column + " >= :f_" + name, name, dateValue(name, value, false));
        } else if (name == "created_before" || name == "processed_before") {
            const std::string column = name == "created_before" ? "created_at" : "processed_at";
            add("c." + column + " <= :f_" + name, name, dateValue(name, value, true));
        } else if (name == "has_transcript") {
            const std::string exists =
                "(EXISTS (SELECT 1 FROM transcripts t WHERE t.clip_id = c.id) OR COALESCE(c.full_transcript, '') <> "
                "'')";
            conditions.push_back(boolValue(name, value) ? exists : "NOT " + exists);
        } else if (name == "audio_language") {
            add("EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(c.audio_tracks) THEN c.audio_tracks "
                "ELSE '[]' END) a WHERE a.type = 'object' AND "
                "json_extract(a.value, '$.language') = :f_audio_language COLLATE NOCASE)",
                name, textValue(name, value, 16));
        }
    }
    if (filters.contains("duration_min") && filters.contains("duration_max") && !filters["duration_min"].is_null() &&
        !filters["duration_max"].is_null() &&
        where.params["f_duration_min"].get<double>() > where.params["f_duration_max"].get<double>())
        invalid("duration_min", "is greater than duration_max; give a minimum below the maximum");
    for (const std::string& condition : conditions) where.sql += " AND " + condition;
    return where;
}

}  // namespace clipdex_filters
