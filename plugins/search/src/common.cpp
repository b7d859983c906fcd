#include "common.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "../../common/ownership.hpp"

namespace search {

using clipdex::Error;

bool isJsonColumn(const std::string& column) {
    static const std::array<const char*, 8> kColumns = {"technical_metadata", "camera_details", "audio_tracks",
                                                        "subtitle_tracks",    "thumbnails",     "metadata",
                                                        "content_tags",       "analysis"};
    for (const char* name : kColumns)
        if (column == name) return true;
    return false;
}

json parseJsonColumns(json row) {
    if (!row.is_object()) return row;
    for (auto& [key, value] : row.items()) {
        if (!value.is_string() || !isJsonColumn(key)) continue;
        json parsed = json::parse(value.get<std::string>(), nullptr, false);
        if (!parsed.is_discarded()) value = std::move(parsed);
    }
    return row;
}

json listingRow(json row) {
    row.erase("metadata");  // every step's outputs: `clip show` has it, a listing does not need it
    row = parseJsonColumns(std::move(row));
    if (row.contains("content_tags") && row["content_tags"].is_null()) row["content_tags"] = json::array();
    const json& width = row.contains("width") ? row["width"] : json();
    const json& height = row.contains("height") ? row["height"] : json();
    row["resolution"] =
        width.is_number_integer() && height.is_number_integer()
            ? json(std::to_string(width.get<std::int64_t>()) + "x" + std::to_string(height.get<std::int64_t>()))
            : json(nullptr);
    return row;
}

std::string clipColumns(std::string_view alias, bool with_metadata) {
    static constexpr const char* kColumns[] = {"id",
                                               "user_id",
                                               "file_path",
                                               "local_path",
                                               "file_name",
                                               "file_checksum",
                                               "file_size_bytes",
                                               "file_mtime",
                                               "duration_seconds",
                                               "created_at",
                                               "processed_at",
                                               "updated_at",
                                               "width",
                                               "height",
                                               "frame_rate",
                                               "codec",
                                               "camera_make",
                                               "camera_model",
                                               "container",
                                               "content_category",
                                               "content_summary",
                                               "content_tags",
                                               "full_transcript",
                                               "transcript_preview",
                                               "searchable_content",
                                               "technical_metadata",
                                               "camera_details",
                                               "audio_tracks",
                                               "subtitle_tracks",
                                               "thumbnails"};
    const std::string prefix = alias.empty() ? std::string() : std::string(alias) + ".";
    std::string list;
    for (const char* column : kColumns) list += (list.empty() ? "" : ", ") + prefix + column;
    if (with_metadata) list += ", " + prefix + "metadata";
    return list;
}

json findClip(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& id, bool with_metadata) {
    const std::string select = "SELECT " + clipColumns({}, with_metadata) + " FROM clips WHERE ";
    if (id.empty()) throw Error(CDX_E_INVALID_ARGUMENT, "a clip id is required", {{"field", "clip_id"}});
    // Only the caller's visible clips are candidates, so another owner's clip (or prefix match) reads as missing.
    json params = {{"id", id}};
    const std::string visible =
        clipdex_ownership::ownerCondition(clipdex_ownership::visibilityOf(ctx), "user_id", params);
    json rows = catalog.query(ctx, select + "id = :id AND " + visible, params);
    if (rows.empty() && id.size() >= 8) {
        params.erase("id");
        params["n"] = static_cast<std::int64_t>(id.size());
        params["prefix"] = id;
        rows = catalog.query(ctx, select + "substr(id, 1, :n) = :prefix AND " + visible + " LIMIT 2", params);
        if (rows.size() > 1)
            throw Error(
                CDX_E_INVALID_ARGUMENT, "Clip id prefix is ambiguous: " + id,
                {{"code", "AMBIGUOUS_CLIP_ID"}, {"field", "clip_id"}, {"hint", "give more characters of the id"}});
    }
    if (rows.empty()) throw Error(CDX_E_NOT_FOUND, "Clip not found: " + id, {{"code", "CLIP_NOT_FOUND"}});
    return parseJsonColumns(rows.at(0));
}

std::string timecode(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
    const auto total_ms = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
    const std::int64_t ms = total_ms % 1000;
    const std::int64_t s = (total_ms / 1000) % 60;
    const std::int64_t m = (total_ms / 60000) % 60;
    const std::int64_t h = total_ms / 3600000;
    char text[48];
    std::snprintf(text, sizeof text, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s), static_cast<long long>(ms));
    return text;
}

std::int64_t intArg(const json& args, const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
    if (!args.is_object() || !args.contains(name) || args[name].is_null()) return fallback;
    const json& value = args[name];
    if (!value.is_number_integer())
        throw Error(CDX_E_INVALID_ARGUMENT, std::string("'") + name + "' must be an integer", {{"field", name}});
    const auto number = value.get<std::int64_t>();
    if (number < min || number > max)
        throw Error(CDX_E_INVALID_ARGUMENT,
                    std::string("'") + name + "' must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + " (got " + std::to_string(number) + ")",
                    {{"field", name}});
    return number;
}

std::string stringArg(const json& args, const char* name) {
    if (!args.is_object() || !args.contains(name) || args[name].is_null()) return {};
    if (!args[name].is_string())
        throw Error(CDX_E_INVALID_ARGUMENT, std::string("'") + name + "' must be a string", {{"field", name}});
    return args[name].get<std::string>();
}

std::int64_t steadyNanos() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double elapsedMs(std::int64_t start_ns) {
    const double ms = static_cast<double>(steadyNanos() - start_ns) / 1e6;
    return std::round(ms * 1000.0) / 1000.0;
}

}  // namespace search
