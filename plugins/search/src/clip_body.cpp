#include "clip_body.hpp"

#include <cmath>
#include <filesystem>
#include <map>

namespace search {
namespace {

json field(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(key);
    return found == object.end() ? json(nullptr) : *found;
}

/// The original's thumbnail timestamp text: 12.4 s -> "12s400ms".
json timestampText(const json& seconds) {
    if (!seconds.is_number() || !std::isfinite(seconds.get<double>()) || seconds.get<double>() < 0) return nullptr;
    const auto ms = static_cast<std::int64_t>(std::llround(seconds.get<double>() * 1000.0));
    return std::to_string(ms / 1000) + "s" + std::to_string(ms % 1000) + "ms";
}

json thumbnailUrls(const json& row) {
    json urls = json::array();
    const json thumbnails = field(row, "thumbnails");
    if (!thumbnails.is_array() || !field(row, "id").is_string()) return urls;
    const std::string base = "/api/clips/" + row["id"].get<std::string>() + "/thumbnails/";
    for (std::size_t n = 0; n < thumbnails.size(); ++n) {
        const json& entry = thumbnails[n];
        const json path = entry.is_object() ? field(entry, "path") : entry;
        urls.push_back(
            {{"url", base + std::to_string(n)},
             {"filename", path.is_string() ? json(std::filesystem::path(path.get<std::string>()).filename().string())
                                           : json(nullptr)},
             {"is_ai_selected", false},  // frames at fixed positions; no AI picked them
             {"rank", std::to_string(n + 1)},
             {"timestamp", timestampText(field(entry, "timestamp_seconds"))},
             {"description", nullptr},
             {"reason", nullptr}});
    }
    return urls;
}

/// codec_details / color_details as the original wrote them, from clipdex.media's first video stream.
void addVideoDetails(json& technical) {
    const json videos = field(technical, "video");
    const json video = videos.is_array() && !videos.empty() ? videos[0] : json();
    if (!video.is_object()) return;
    const json container = field(technical, "container");
    if (!technical.contains("codec_details"))
        technical["codec_details"] = {
            {"name", field(video, "codec")},
            {"codec_long_name", field(video, "codec_long_name")},
            {"profile", field(video, "profile")},
            {"level", field(video, "level")},
            {"bit_depth", field(video, "bit_depth")},
            {"bitrate_kbps", field(video, "bit_rate")},  // bits per second, as the original stored it
            {"bitrate_mode", nullptr},
            {"chroma_subsampling", field(video, "chroma_subsampling")},
            {"pixel_format", field(video, "pixel_format")},
            {"scan_type", field(video, "scan_type")},
            {"field_order", field(video, "field_order")},
            {"ref_frames", field(video, "ref_frames")},
            {"gop_size", nullptr},
            {"cabac", nullptr},
            {"format_name", field(container, "format_name")},
            {"format_long_name", field(container, "format_long_name")},
            {"file_size_bytes", field(container, "size_bytes")},
        };
    if (!technical.contains("color_details")) {
        const json light = field(video, "content_light_level");
        technical["color_details"] = {
            {"color_space", field(video, "color_space")},
            {"color_range", field(video, "color_range")},
            {"color_primaries", field(video, "color_primaries")},
            {"transfer_characteristics", field(video, "color_transfer")},
            {"matrix_coefficients", field(video, "color_space")},
            {"hdr",
             {{"is_hdr", field(video, "is_hdr").is_boolean() ? field(video, "is_hdr") : json(false)},
              {"format", field(video, "hdr_format")},
              {"master_display", field(video, "mastering_display")},
              {"max_cll", field(light, "max_cll")},
              {"max_fall", field(light, "max_fall")}}},
        };
    }
}

}  // namespace

json panelClip(json row) {
    row = parseJsonColumns(std::move(row));
    if (!row.is_object()) return row;
    if (!row["content_tags"].is_array()) row["content_tags"] = json::array();
    if (!row["camera_details"].is_object()) row["camera_details"] = json::object();
    if (!row["technical_metadata"].is_object()) row["technical_metadata"] = json::object();
    addVideoDetails(row["technical_metadata"]);
    if (!row["audio_tracks"].is_array()) row["audio_tracks"] = json::array();
    for (json& track : row["audio_tracks"])
        // The panel divides bit_rate_kbps by 1000 to show kbps, i.e. it holds bits per second, as the original.
        if (track.is_object() && !track.contains("bit_rate_kbps") && field(track, "bit_rate").is_number())
            track["bit_rate_kbps"] = track["bit_rate"];
    if (!row.contains("full_transcript")) row["full_transcript"] = nullptr;
    row["all_thumbnail_urls"] = thumbnailUrls(row);
    row["thumbnail_url"] = row["all_thumbnail_urls"].empty() || !row["id"].is_string()
                               ? json(nullptr)
                               : json("/api/thumbnail/" + row["id"].get<std::string>());
    return row;
}

json withClipFields(const clipdex::Catalog& catalog, const clipdex::Context& ctx, json hits) {
    json ids = json::array();
    for (const json& hit : hits)
        if (field(hit, "id").is_string()) ids.push_back(hit["id"]);
    if (ids.empty()) return hits;
    // Only rows the caller may see (the backends already scoped the hits; this is the second line).
    Where where;
    where.sql = "c.id IN (SELECT value FROM json_each(:ids))";
    where.params["ids"] = ids.dump();
    restrictToCaller(where, ctx);
    std::map<std::string, json> rows;
    for (json row :
         catalog.query(ctx, "SELECT " + clipColumns("c") + " FROM clips c WHERE " + where.sql, where.params)) {
        const std::string id = row.at("id").get<std::string>();
        rows[id] = listingRow(std::move(row));
    }
    for (json& hit : hits) {
        const json id = field(hit, "id");
        const auto found = id.is_string() ? rows.find(id.get<std::string>()) : rows.end();
        if (found == rows.end()) continue;
        json merged = panelClip(found->second);
        for (auto& [key, value] : hit.items()) merged[key] = std::move(value);
        hit = std::move(merged);
    }
    return hits;
}

json pageOf(json rows, const json& total, std::int64_t limit, std::int64_t offset) {
    // Over HTTP the manifest renames results to data for the second panel generation (`http.rename`), after
    // lifting a copy to the top level for the first, so rows travel twice rather than three times.
    return {{"success", true},
            {"results", std::move(rows)},
            {"total", total},
            {"pagination", {{"limit", limit}, {"offset", offset}, {"total", total}}}};
}

}  // namespace search
