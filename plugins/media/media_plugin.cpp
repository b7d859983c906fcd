// The `media` plugin: extract_metadata_step and extract_subtitle_transcript_step, FFmpeg in-process.
// Built only through the SDK.
#include "../common/ffmpeg_log.hpp"
#include "media_common.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <filesystem>
#include <memory>
#include <string>

namespace {

using clipdex::json;

struct FileInput {
    std::string path;
    std::string name;
};

FileInput fileInput(const json& inputs) {
    const json* file = inputs.is_object() && inputs.contains("file") ? &inputs["file"] : nullptr;
    if (file == nullptr || !file->is_object() || !file->contains("path") || !(*file)["path"].is_string())
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "inputs.file.path is required");
    FileInput out;
    out.path = (*file)["path"].get<std::string>();
    if (file->contains("name") && (*file)["name"].is_string()) out.name = (*file)["name"].get<std::string>();
    if (out.name.empty()) out.name = std::filesystem::path(out.path).filename().string();
    return out;
}

class MetadataStep final : public clipdex::Step {
public:
    json run(const json& inputs, clipdex::Context& ctx) override {
        const FileInput file = fileInput(inputs);
        return media::extractMetadata(file.path, file.name, ctx);
    }
};

class TranscriptStep final : public clipdex::Step {
public:
    json run(const json& inputs, clipdex::Context& ctx) override {
        const FileInput file = fileInput(inputs);
        json metadata;
        if (inputs.contains("steps") && inputs["steps"].is_object())
            metadata = inputs["steps"].value("extract_metadata_step", json());
        return media::extractTranscript(file.path, file.name, metadata, ctx);
    }
};

class MediaPlugin final : public clipdex::Plugin {
public:
    explicit MediaPlugin(const clipdex::Host& host) : Plugin(host) { clipdex_ffmpeg::routeLogsTo(this->host()); }
    ~MediaPlugin() override { clipdex_ffmpeg::stopRoutingLogs(host()); }

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        if (command_id == "probe") return media::probeContent(args.at("path").get<std::string>());
        return Plugin::invoke(command_id, args, ctx);
    }

    std::unique_ptr<clipdex::Step> createStep(std::string_view step_id, const json& config,
                                              clipdex::Context& ctx) override {
        if (step_id == "extract_metadata_step") return std::make_unique<MetadataStep>();
        if (step_id == "extract_subtitle_transcript_step") return std::make_unique<TranscriptStep>();
        return Plugin::createStep(step_id, config, ctx);
    }
};

}  // namespace

CLIPDEX_PLUGIN(MediaPlugin)
