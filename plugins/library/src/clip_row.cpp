#include "clip_row.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

namespace library {
namespace {

json field(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto found = object.find(key);
    return found == object.end() ? json(nullptr) : *found;
}

json firstOf(const json& object, std::initializer_list<const char*> keys) {
    for (const char* key : keys)
        if (json value = field(object, key); !value.is_null()) return value;
    return nullptr;
}

json text(const json& value) {
    if (value.is_string()) return value;
    if (value.is_object()) return firstOf(value, {"name", "codec_name", "format_name"});
    return nullptr;
}

json number(const json& value) {
    return value.is_number() ? value : json(nullptr);
}

json document(const json& value) {
    return value.is_null() ? json(nullptr) : json(value.dump());
}

std::string numberText(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

}  // namespace

json transcriptFrom(const json& inputs) {
    const json transcript = field(stepOutputs(inputs, "extract_subtitle_transcript_step"), "transcript");
    if (!transcript.is_object()) return nullptr;
    json segments = json::array();
    std::string joined;
    if (const json list = field(transcript, "segments"); list.is_array()) {
        for (const json& segment : list) {
            const json start = firstOf(segment, {"start_seconds", "start"});
            const json end = firstOf(segment, {"end_seconds", "end"});
            const json words = field(segment, "text");
            if (!start.is_number() || !end.is_number() || !words.is_string()) continue;
            segments.push_back({{"start_seconds", start}, {"end_seconds", end}, {"text", words}});
            if (!joined.empty()) joined += '\n';
            joined += words.get<std::string>();
        }
    }
    json full_text = firstOf(transcript, {"full_text", "text"});
    if (!full_text.is_string()) full_text = joined;
    if (full_text.get<std::string>().empty() && segments.empty()) return nullptr;
    return {{"source", text(field(transcript, "source"))},
            {"language", text(field(transcript, "language"))},
            {"full_text", full_text},
            {"segments", segments}};
}

json clipColumns(const json& inputs, const FileFacts& file, const std::string& checksum) {
    const json& meta = stepOutputs(inputs, "extract_metadata_step");
    const json camera = firstOf(meta, {"camera", "camera_details"});
    json technical = field(meta, "technical_metadata");
    if (!technical.is_object() && meta.is_object()) {
        // The media plugin's outputs: the technical part is everything but the per-track lists.
        technical = json::object();
        for (const char* key : {"container", "video", "chapters", "timecode", "creation_time", "location"})
            if (meta.contains(key)) technical[key] = meta[key];
    }
    if (const json exposure = field(stepOutputs(inputs, "analyze_exposure_step"), "exposure"); exposure.is_object()) {
        if (!technical.is_object()) technical = json::object();
        technical["exposure_details"] = exposure;
    }
    json thumbnails = field(stepOutputs(inputs, "generate_thumbnails_step"), "thumbnails");
    const json transcript = transcriptFrom(inputs);

    json columns = {
        {"file_path", file.path},
        {"local_path", file.path},
        {"file_name", file.name},
        {"file_checksum", checksum},
        {"file_size_bytes", file.size},
        {"file_mtime", file.mtime},
        {"duration_seconds", number(firstOf(meta, {"duration_seconds", "duration"}))},
        {"created_at", text(firstOf(meta, {"created_at", "creation_time"}))},
        {"width", number(field(meta, "width"))},
        {"height", number(field(meta, "height"))},
        {"frame_rate", number(field(meta, "frame_rate"))},
        {"codec", text(field(meta, "codec"))},
        {"camera_make", text(firstOf(camera, {"make"}))},
        {"camera_model", text(firstOf(camera, {"model"}))},
        {"container", text(field(meta, "container"))},
        {"full_transcript", transcript.is_null() ? json(nullptr) : transcript["full_text"]},
        {"transcript_preview", nullptr},
        {"technical_metadata", document(technical)},
        {"camera_details", document(camera.is_object() ? camera : json(nullptr))},
        {"audio_tracks", document(firstOf(meta, {"audio_tracks", "audio"}))},
        {"subtitle_tracks", document(firstOf(meta, {"subtitle_tracks", "subtitles"}))},
        {"thumbnails", document(thumbnails.is_array() ? thumbnails : json(nullptr))},
        {"metadata", document(inputs.contains("steps") ? inputs["steps"] : json::object())},
    };
    if (!transcript.is_null()) {
        // 500 characters, not bytes: never cut a UTF-8 sequence.
        const std::string& full = transcript["full_text"].get_ref<const std::string&>();
        std::size_t end = 0;
        for (int chars = 0; end < full.size() && chars < 500; ++chars) {
            ++end;
            while (end < full.size() && (static_cast<unsigned char>(full[end]) & 0xC0) == 0x80) ++end;
        }
        columns["transcript_preview"] = full.substr(0, end);
    }
    columns["searchable_content"] = searchableContent(columns);
    return columns;
}

std::string searchableContent(const json& columns) {
    std::vector<std::string> parts;
    auto add = [&parts](const json& value, const std::string& suffix = {}) {
        if (value.is_string() && !value.get<std::string>().empty()) parts.push_back(value.get<std::string>() + suffix);
    };
    add(columns["file_name"]);
    if (columns["width"].is_number() && columns["height"].is_number())
        parts.push_back(std::to_string(columns["width"].get<std::int64_t>()) + "x" +
                        std::to_string(columns["height"].get<std::int64_t>()));
    if (columns["frame_rate"].is_number() && std::isfinite(columns["frame_rate"].get<double>()))
        parts.push_back(numberText(columns["frame_rate"].get<double>()) + "fps");
    add(columns["codec"]);
    add(columns["container"]);
    add(columns["camera_make"]);
    add(columns["camera_model"]);
    std::string joined;
    for (const auto& part : parts) {
        if (!joined.empty()) joined += ' ';
        joined += part;
    }
    return joined;
}

}  // namespace library
