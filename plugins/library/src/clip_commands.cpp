// `clip show` and `search recent`: read-only views of the clips table.
#include <map>

#include "common.hpp"

namespace library {
namespace {

using clipdex::Error;

json findClip(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& id) {
    json rows = catalog.query(ctx, "SELECT * FROM clips WHERE id = :id", {{"id", id}});
    if (rows.empty() && id.size() >= 8) {
        rows = catalog.query(ctx, "SELECT * FROM clips WHERE substr(id, 1, :n) = :prefix LIMIT 2",
                             {{"n", static_cast<std::int64_t>(id.size())}, {"prefix", id}});
        if (rows.size() > 1)
            throw Error(
                CDX_E_INVALID_ARGUMENT, "Clip id prefix is ambiguous: " + id,
                {{"code", "AMBIGUOUS_CLIP_ID"}, {"field", "clip_id"}, {"hint", "give more characters of the id"}});
    }
    if (rows.empty()) throw Error(CDX_E_NOT_FOUND, "Clip not found: " + id, {{"code", "CLIP_NOT_FOUND"}});
    return parseJsonColumns(rows.at(0));
}

json transcriptOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id) {
    const json rows = catalog.query(
        ctx, "SELECT source, language, full_text, created_at FROM transcripts WHERE clip_id = :id", {{"id", clip_id}});
    if (rows.empty()) return nullptr;
    json transcript = rows.at(0);
    transcript["segments"] = catalog.query(ctx,
                                           "SELECT segment_index AS \"index\", start_seconds, end_seconds, text "
                                           "FROM transcript_segments WHERE clip_id = :id ORDER BY segment_index",
                                           {{"id", clip_id}});
    return transcript;
}

std::string cell(const json& value) {
    if (value.is_null()) return "";
    return value.is_string() ? value.get<std::string>() : value.dump();
}

json overview(const json& clip) {
    std::string resolution;
    if (clip["width"].is_number() && clip["height"].is_number())
        resolution = cell(clip["width"]) + "x" + cell(clip["height"]);
    std::string duration;
    if (clip["duration_seconds"].is_number()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f seconds", clip["duration_seconds"].get<double>());
        duration = text;
    }
    json rows = json::array();
    auto add = [&rows](const char* name, const std::string& value) {
        rows.push_back({{"field", name}, {"value", value}});
    };
    add("Clip ID", cell(clip["id"]));
    add("File Name", cell(clip["file_name"]));
    add("Path", cell(clip["local_path"]));
    add("Duration", duration);
    add("File Size", cell(clip["file_size_bytes"]) + " bytes");
    add("Resolution", resolution);
    add("Frame Rate", cell(clip["frame_rate"]));
    add("Codec", cell(clip["codec"]));
    add("Container", cell(clip["container"]));
    add("Camera", cell(clip["camera_make"]) + (clip["camera_model"].is_null() ? "" : " " + cell(clip["camera_model"])));
    add("Checksum", cell(clip["file_checksum"]));
    add("Processed", cell(clip["processed_at"]));
    return rows;
}

}  // namespace

json clipShow(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    json clip = findClip(catalog, ctx, args.at("clip_id").get<std::string>());
    const std::string id = clip.at("id").get<std::string>();
    json transcript = args.value("transcript", false) ? transcriptOf(catalog, ctx, id) : json(nullptr);
    json rows = overview(clip);
    // No provider writes AI analysis yet; the key keeps the original's shape.
    return {{"clip", std::move(clip)},
            {"transcript", std::move(transcript)},
            {"analysis", nullptr},
            {"overview", std::move(rows)}};
}

json searchRecent(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    // Column and direction come from these fixed tables, never from the request text.
    static const std::map<std::string, std::string> kSortColumns = {{"processed_at", "processed_at"},
                                                                    {"file_name", "file_name"},
                                                                    {"duration_seconds", "duration_seconds"},
                                                                    {"created_at", "created_at"}};
    static const std::map<std::string, std::string> kDirections = {
        {"ascending", "ASC"}, {"asc", "ASC"}, {"descending", "DESC"}, {"desc", "DESC"}};
    const std::string sort_by = args.value("sort_by", std::string("processed_at"));
    const std::string order = args.value("sort_order", std::string("descending"));
    const auto column = kSortColumns.find(sort_by);
    if (column == kSortColumns.end())
        throw Error(CDX_E_INVALID_ARGUMENT, "cannot sort by '" + sort_by + "'", {{"field", "sort_by"}});
    const auto direction = kDirections.find(order);
    if (direction == kDirections.end())
        throw Error(CDX_E_INVALID_ARGUMENT, "unknown sort order '" + order + "'", {{"field", "sort_order"}});
    const std::int64_t limit = args.value("limit", std::int64_t{10});
    const std::int64_t offset = args.value("offset", std::int64_t{0});
    if (limit < 1 || limit > 1000) throw Error(CDX_E_INVALID_ARGUMENT, "limit must be 1..1000", {{"field", "limit"}});
    if (offset < 0) throw Error(CDX_E_INVALID_ARGUMENT, "offset must be >= 0", {{"field", "offset"}});

    const auto catalog = host.catalog();
    const std::string sql = "SELECT * FROM clips ORDER BY " + column->second + " " + direction->second +
                            ", id ASC LIMIT :limit OFFSET :offset";
    json results = json::array();
    for (json row : catalog.query(ctx, sql, {{"limit", limit}, {"offset", offset}})) {
        row.erase("metadata");  // every step's outputs: `clip show` has it, a listing does not need it
        row = parseJsonColumns(std::move(row));
        row["resolution"] = row["width"].is_number() && row["height"].is_number()
                                ? json(cell(row["width"]) + "x" + cell(row["height"]))
                                : json(nullptr);
        results.push_back(std::move(row));
    }
    const json total = catalog.query(ctx, "SELECT COUNT(*) AS n FROM clips").at(0).at("n");
    const std::string sort_order = direction->second == "ASC" ? "ascending" : "descending";
    return {
        {"results", std::move(results)}, {"total", total}, {"limit", limit}, {"offset", offset}, {"sort_by", sort_by},
        {"sort_order", sort_order}};
}

}  // namespace library
