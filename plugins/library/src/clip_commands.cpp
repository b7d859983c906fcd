// `clip show`: a read-only view of one clip (listings and searches live in the clipdex.search plugin).

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

/// The clip's analysis row with its JSON document parsed, or null.
json analysisOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id) {
    const json rows =
        catalog.query(ctx, "SELECT clip_id, provider, model, analysis, created_at FROM analysis WHERE clip_id = :id",
                      {{"id", clip_id}});
    if (rows.empty()) return nullptr;
    json row = rows.at(0);
    if (row["analysis"].is_string()) {
        json parsed = json::parse(row["analysis"].get<std::string>(), nullptr, false);
        if (!parsed.is_discarded()) row["analysis"] = std::move(parsed);
    }
    return row;
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
    json analysis = args.value("analysis", false) ? analysisOf(catalog, ctx, id) : json(nullptr);
    json rows = overview(clip);
    return {{"clip", std::move(clip)},
            {"transcript", std::move(transcript)},
            {"analysis", std::move(analysis)},
            {"overview", std::move(rows)}};
}

}  // namespace library
