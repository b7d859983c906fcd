// `clip transcript`, `clip analysis` and `clip delete`.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "commands.hpp"

namespace search {
namespace {

using clipdex::Error;
namespace fs = std::filesystem;

/// "HH:MM:SS,mmm" (SRT) or "HH:MM:SS.mmm" (WebVTT).
std::string cueTime(double seconds, char separator) {
    std::string text = timecode(seconds);
    text[8] = separator;
    return text;
}

/// Cue text: no blank lines (they end a cue); WebVTT also escapes &, < and the "-->" arrow.
std::string cueText(const std::string& text, bool vtt) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') continue;
        if (c == '\n' && (out.empty() || out.back() == '\n')) continue;
        if (vtt && c == '&')
            out += "&amp;";
        else if (vtt && c == '<')
            out += "&lt;";
        else if (vtt && c == '>')
            out += "&gt;";
        else
            out += c;
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
}

std::string subtitles(const json& transcript, double duration, bool vtt) {
    json segments = transcript.value("segments", json::array());
    if (segments.empty())
        segments.push_back({{"start_seconds", 0.0}, {"end_seconds", duration}, {"text", transcript["full_text"]}});
    std::string out = vtt ? "WEBVTT\n\n" : "";
    int number = 0;
    for (const json& segment : segments) {
        const std::string text = cueText(segment.value("text", std::string()), vtt);
        if (text.empty()) continue;
        const double start = segment["start_seconds"].is_number() ? segment["start_seconds"].get<double>() : 0.0;
        double end = segment["end_seconds"].is_number() ? segment["end_seconds"].get<double>() : start;
        if (end < start) end = start;
        ++number;
        if (!vtt) out += std::to_string(number) + "\n";
        out += cueTime(start, vtt ? '.' : ',') + " --> " + cueTime(end, vtt ? '.' : ',') + "\n" + text + "\n\n";
    }
    return out;
}

/// The clip's thumbnail folder <data_dir>/thumbnails/<checksum>, found from its stored thumbnail paths,
/// else from the XDG data directory the host gives the thumbnails step.
fs::path thumbnailFolder(const json& clip) {
    const json& checksum = clip.contains("file_checksum") ? clip["file_checksum"] : json();
    if (!checksum.is_string() || checksum.get_ref<const std::string&>().empty()) return {};
    const std::string key = checksum.get<std::string>();
    for (char c : key)
        if (!std::isalnum(static_cast<unsigned char>(c))) return {};
    if (clip.contains("thumbnails") && clip["thumbnails"].is_array()) {
        for (const json& thumbnail : clip["thumbnails"]) {
            const json path = thumbnail.is_object() ? thumbnail.value("path", json()) : thumbnail;
            if (!path.is_string()) continue;
            const fs::path folder = fs::path(path.get<std::string>()).parent_path();
            if (folder.filename() == key && folder.parent_path().filename() == "thumbnails") return folder;
        }
    }
    const char* xdg = std::getenv("XDG_DATA_HOME");
    const char* home = std::getenv("HOME");
    fs::path data;
    if (xdg != nullptr && xdg[0] == '/')
        data = fs::path(xdg) / "clipdex";
    else if (home != nullptr && home[0] != '\0')
        data = fs::path(home) / ".local/share/clipdex";
    else
        return {};
    return data / "thumbnails" / key;
}

}  // namespace

json transcriptOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id) {
    const json rows = catalog.query(
        ctx, "SELECT clip_id, source, language, full_text, created_at FROM transcripts WHERE clip_id = :id",
        {{"id", clip_id}});
    if (rows.empty()) return nullptr;
    json transcript = rows.at(0);
    json segments = catalog.query(ctx,
                                  "SELECT segment_index AS \"index\", start_seconds, end_seconds, text "
                                  "FROM transcript_segments WHERE clip_id = :id ORDER BY segment_index",
                                  {{"id", clip_id}});
    for (json& segment : segments) {
        segment["timecode"] =
            timecode(segment["start_seconds"].is_number() ? segment["start_seconds"].get<double>() : 0);
    }
    transcript["segments"] = std::move(segments);
    return transcript;
}

json analysisOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id) {
    const json rows =
        catalog.query(ctx, "SELECT clip_id, provider, model, analysis, created_at FROM analysis WHERE clip_id = :id",
                      {{"id", clip_id}});
    if (rows.empty()) return nullptr;
    json analysis = parseJsonColumns(rows.at(0));
    // The first panel generation reads analysis.summary and analysis.tags at the row's top level.
    const json& document = analysis["analysis"];
    const json summary = document.is_object() ? document.value("summary", json()) : json();
    const json tags = document.is_object() ? document.value("tags", json()) : json();
    analysis["summary"] = summary.is_string() ? summary : json(nullptr);
    analysis["tags"] = tags.is_array() ? tags : json(nullptr);
    return analysis;
}

json clipTranscript(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    const json clip = findClip(catalog, ctx, stringArg(args, "clip_id"));
    const std::string id = clip.at("id").get<std::string>();
    json transcript = transcriptOf(catalog, ctx, id);
    if (transcript.is_null())
        throw Error(CDX_E_NOT_FOUND, "Transcript not found for this clip",
                    {{"code", "TRANSCRIPT_NOT_FOUND"}, {"clip_id", id}});
    // CLI --format (default text, like the original CLI); HTTP ?output= (default json, like the original API).
    std::string format = stringArg(args, "format");
    if (format.empty()) format = stringArg(args, "output");
    if (format.empty() || format == "table") format = format.empty() ? "json" : "text";
    const double duration = clip["duration_seconds"].is_number() ? clip["duration_seconds"].get<double>() : 0.0;
    if (format == "text") return transcript["full_text"];
    if (format == "srt") return subtitles(transcript, duration, false);
    if (format == "vtt") return subtitles(transcript, duration, true);
    if (format != "json")
        throw Error(CDX_E_INVALID_ARGUMENT, "unknown transcript format '" + format + "': use text, json, srt or vtt",
                    {{"field", args.contains("format") ? "format" : "output"}});
    return {
        {"success", true}, {"clip_id", id}, {"file_name", clip["file_name"]}, {"transcript", std::move(transcript)}};
}

json clipAnalysis(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    const json clip = findClip(catalog, ctx, stringArg(args, "clip_id"));
    const std::string id = clip.at("id").get<std::string>();
    json analysis = analysisOf(catalog, ctx, id);
    if (analysis.is_null())
        throw Error(CDX_E_NOT_FOUND, "Analysis not found for this clip",
                    {{"code", "ANALYSIS_NOT_FOUND"}, {"clip_id", id}});
    return {{"success", true}, {"clip_id", id}, {"file_name", clip["file_name"]}, {"analysis", std::move(analysis)}};
}

json clipDelete(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    const json clip = findClip(catalog, ctx, stringArg(args, "clip_id"));
    const std::string id = clip.at("id").get<std::string>();
    // The CLI asks (x-prompt) when --force is left out; HTTP DELETE is itself the confirmation.
    if (args.contains("force") && args["force"] == false)
        throw Error(
            CDX_E_CANCELLED,
            "Deletion not confirmed: clip " + id + " was kept. Answer yes, or pass --force to delete without asking",
            {{"code", "NOT_CONFIRMED"}, {"field", "force"}});
    // The foreign keys cascade, but the children go explicitly too, so nothing depends on the connection pragma.
    json statements = json::array();
    for (const char* sql :
         {"DELETE FROM transcript_segments WHERE clip_id = :id", "DELETE FROM transcripts WHERE clip_id = :id",
          "DELETE FROM clip_embeddings WHERE clip_id = :id", "DELETE FROM analysis WHERE clip_id = :id",
          "DELETE FROM clips WHERE id = :id"})
        statements.push_back({{"sql", sql}, {"params", {{"id", id}}}});
    const json done = catalog.transaction(ctx, statements);
    const json affected = done.value("affected", json::array());
    if (affected.size() == statements.size() && affected.back() == 0)
        throw Error(CDX_E_NOT_FOUND, "Clip not found: " + id, {{"code", "CLIP_NOT_FOUND"}});

    json thumbnails_removed = nullptr;
    // The folder is keyed by checksum, so another owner's clip of the same file shares it: keep it then.
    const bool shared =
        clip.value("file_checksum", json()).is_string() &&
        !catalog
             .query(ctx, "SELECT 1 AS shared FROM clips WHERE file_checksum = :checksum AND id <> :id LIMIT 1",
                    {{"checksum", clip["file_checksum"]}, {"id", id}})
             .empty();
    if (const fs::path folder = shared ? fs::path() : thumbnailFolder(clip); !folder.empty()) {
        std::error_code error;
        if (fs::is_directory(folder, error)) {
            fs::remove_all(folder, error);
            if (error)
                ctx.warn("could not remove thumbnails folder " + folder.string() + ": " + error.message());
            else
                thumbnails_removed = folder.string();
        }
    }
    ctx.info("deleted clip " + id);
    return {{"success", true},
            {"message", "Clip deleted"},
            {"deleted", {{"id", id}, {"file_name", clip["file_name"]}, {"thumbnails_removed", thumbnails_removed}}}};
}

}  // namespace search
