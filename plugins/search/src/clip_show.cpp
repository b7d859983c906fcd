// `clip show`: one clip, with its transcript and analysis on request, and an overview table for the CLI.
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"

namespace search {
namespace {

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
    json clip = findClip(catalog, ctx, stringArg(args, "clip_id"));
    const std::string id = clip.at("id").get<std::string>();
    json transcript = args.value("transcript", false) ? transcriptOf(catalog, ctx, id) : json(nullptr);
    json analysis = args.value("analysis", false) ? analysisOf(catalog, ctx, id) : json(nullptr);
    json rows = overview(clip);
    return {{"success", true},
            {"clip", std::move(clip)},
            {"transcript", std::move(transcript)},
            {"analysis", std::move(analysis)},
            {"overview", std::move(rows)}};
}

}  // namespace search
