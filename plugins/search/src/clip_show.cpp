// `clip show`: one clip, with its transcript and analysis on request, and an overview table for the CLI.
#include <cstdio>
#include <sstream>

#include "clip_body.hpp"
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

struct Parts {
    bool transcript = false;
    bool analysis = false;
    bool metadata = true;  // the raw step outputs: several KB that no panel reads, so HTTP asks for them
};

/// What to include: HTTP `include=transcript,analysis[,metadata]` (its default is transcript and analysis, as
/// the legacy server answered), else the CLI's --transcript / --analysis, with the metadata.
Parts partsOf(const json& args) {
    if (args.contains("include") && args["include"].is_string()) {
        Parts parts;
        parts.metadata = false;
        std::stringstream list(args["include"].get<std::string>());
        for (std::string item; std::getline(list, item, ',');) {
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (item == "transcript" || item == "all") parts.transcript = true;
            if (item == "analysis" || item == "all") parts.analysis = true;
            if (item == "metadata" || item == "all") parts.metadata = true;
        }
        return parts;
    }
    if (!args.contains("transcript") && !args.contains("analysis")) return {true, true, true};
    return {args.value("transcript", false), args.value("analysis", false), true};
}

}  // namespace

json clipShow(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    const Parts parts = partsOf(args);
    json clip = panelClip(findClip(catalog, ctx, stringArg(args, "clip_id"), parts.metadata));
    const std::string id = clip.at("id").get<std::string>();
    json transcript = parts.transcript ? transcriptOf(catalog, ctx, id) : json(nullptr);
    json analysis = parts.analysis ? analysisOf(catalog, ctx, id) : json(nullptr);
    if (analysis.is_object()) {
        // An analysis document without them: the clip's own summary and tags stand in.
        if (analysis["summary"].is_null()) analysis["summary"] = clip.value("content_summary", json());
        if (analysis["tags"].is_null()) analysis["tags"] = clip.value("content_tags", json::array());
    }
    // Both panel generations: the clip's fields at the top of the result (the second reads body.data as the
    // clip) and `clip` / `transcript` / `analysis` (the first reads them at the envelope's top level).
    json result = clip;
    result["success"] = true;
    result["transcript"] = std::move(transcript);
    result["analysis"] = std::move(analysis);
    result["overview"] = overview(clip);
    result["clip"] = std::move(clip);
    return result;
}

}  // namespace search
