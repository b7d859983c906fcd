// The `thumbnails` plugin: generate_thumbnails_step (JPEGs at duration*i/(count+1), keyed by checksum) and
// analyze_exposure_step (inventory §2.5 formulas on the written JPEGs). Built only through the SDK.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <clipdex/plugin.hpp>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>

#include "../common/ffmpeg_log.hpp"
#include "exposure.hpp"
#include "frame_grabber.hpp"
#include "jpeg_writer.hpp"
#include "thumbnail_files.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;

std::string filePath(const json& inputs) {
    const json& file = inputs.value("file", json::object());
    if (!file.is_object() || !file.contains("path") || !file["path"].is_string())
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "inputs.file.path is required");
    return file["path"].get<std::string>();
}

bool safeName(const std::string& text) {
    return !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '_';
    });
}

// The directory name: the checksum step's checksum, else a stable hash of the absolute path.
std::string directoryKey(const json& inputs, const std::string& path) {
    const json checksum = inputs.value("/steps/generate_checksum_step/checksum"_json_pointer, json());
    if (checksum.is_string() && safeName(checksum.get<std::string>())) return checksum.get<std::string>();
    std::error_code error;
    fs::path absolute = fs::absolute(path, error);
    const std::string key = checksum.is_string() ? checksum.get<std::string>() : (error ? path : absolute.string());
    char hex[2 * sizeof(size_t) + 1];
    std::snprintf(hex, sizeof(hex), "%0*zx", static_cast<int>(2 * sizeof(size_t)), std::hash<std::string>{}(key));
    return std::string("path-") + hex;
}

// Removes thumbnails beyond `count` left by an earlier run with a larger count, and temporary files a
// killed process left behind (older than ten minutes, so a concurrent writer's file is never touched).
void prune(const fs::path& dir, int count) {
    std::error_code error;
    const auto stale_before = fs::file_time_type::clock::now() - std::chrono::minutes(10);
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const fs::path& path = entry.path();
        const std::string stem = path.stem().string();
        const bool extra_jpeg =
            path.extension() == ".jpg" && safeName(stem) &&
            std::all_of(stem.begin(), stem.end(), [](unsigned char c) { return std::isdigit(c); }) && stem.size() < 4 &&
            std::stoi(stem) > count;
        const bool stale_tmp = path.extension() == ".tmp" && entry.last_write_time(error) < stale_before;
        if (extra_jpeg || stale_tmp) fs::remove(path, error);
    }
}

// The host validates step config against the manifest; this keeps a direct caller honest too.
int setting(const json& config, const char* key, int fallback, int lowest, int highest) {
    if (!config.is_object() || !config.contains(key) || config[key].is_null()) return fallback;
    if (!config[key].is_number_integer() || config[key].get<long long>() < lowest ||
        config[key].get<long long>() > highest)
        throw clipdex::Error(
            CDX_E_INVALID_ARGUMENT,
            std::string(key) + " must be an integer from " + std::to_string(lowest) + " to " + std::to_string(highest),
            json{{"field", key}});
    return config[key].get<int>();
}

class ThumbnailsStep final : public clipdex::Step {
public:
    explicit ThumbnailsStep(const json& config)
        : count_(setting(config, "count", 5, 1, 50)), width_(setting(config, "width", 640, 64, 3840)) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const std::string path = filePath(inputs);
        if (!inputs.contains("data_dir") || !inputs["data_dir"].is_string())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "inputs.data_dir is required");
        thumbs::FrameGrabber grabber(path, [&ctx] { ctx.throwIfCancelled(); });
        const fs::path dir =
            fs::path(inputs["data_dir"].get<std::string>()) / "thumbnails" / directoryKey(inputs, path);
        std::error_code error;
        fs::create_directories(dir, error);
        if (error) throw clipdex::Error(CDX_E_IO, "cannot create '" + dir.string() + "': " + error.message());

        const double duration = grabber.durationSeconds();
        const int count = duration > 0 ? count_ : 1;  // no duration (a still image): one frame from the start
        thumbs::GrabOptions options;
        // Keyframe-nearest for speed: the keyframe before a position is taken as is when it lies within half
        // the spacing (at most 2 s) before it; otherwise decode forward to that window. Windows do not
        // overlap, so long GOPs still give distinct, ordered thumbnails.
        options.tolerance_seconds = std::min(2.0, duration / (count + 1) / 2);
        json thumbnails = json::array();
        for (int i = 1; i <= count; ++i) {
            ctx.throwIfCancelled();
            const double target = duration > 0 ? duration * i / (count + 1) : 0.0;
            const thumbs::GrabbedFrame grabbed = grabber.grab(target, options);
            const fs::path out = dir / (std::to_string(i) + ".jpg");
            const thumbs::JpegInfo info = thumbs::writeJpeg(*grabbed.frame, width_, out, grabber.rotationDegrees());
            thumbnails.push_back(json{{"index", i},
                                      {"path", out.string()},
                                      {"timestamp_seconds", grabbed.timestamp_seconds},
                                      {"target_seconds", target},
                                      {"blank_frames_skipped", grabbed.blank_frames_skipped},
                                      {"width", info.width},
                                      {"height", info.height},
                                      {"bytes", info.bytes}});
            ctx.progress(static_cast<double>(i) / count, "thumbnail " + std::to_string(i));
        }
        prune(dir, count);
        return json{{"thumbnails", thumbnails},
                    {"primary_thumbnail", thumbnails.at(0).at("path")},
                    {"thumbnail_dir", dir.string()}};
    }

private:
    int count_;
    int width_;
};

json exposureJson(const thumbs::Exposure& exposure) {
    return json{{"warning", exposure.warning},
                {"stops", exposure.stops},
                {"overexposed_percentage", exposure.over * 100},
                {"underexposed_percentage", exposure.under * 100}};
}

class ExposureStep final : public clipdex::Step {
public:
    json run(const json& inputs, clipdex::Context& ctx) override {
        const json thumbnails = inputs.value("/steps/generate_thumbnails_step/thumbnails"_json_pointer, json::array());
        if (!thumbnails.is_array() || thumbnails.empty())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT,
                                 "no thumbnails for '" + inputs.value("/file/path"_json_pointer, std::string()) + "'");
        thumbs::Histogram average{};
        json per_thumbnail = json::array();
        for (const json& thumbnail : thumbnails) {
            ctx.throwIfCancelled();
            const std::string path = thumbnail.at("path").get<std::string>();
            const thumbs::Histogram hist = thumbs::jpegHistogram(path);
            for (size_t i = 0; i < hist.size(); ++i) average[i] += hist[i] / static_cast<double>(thumbnails.size());
            json entry = exposureJson(thumbs::assessExposure(hist));
            entry["index"] = thumbnail.value("index", static_cast<int>(per_thumbnail.size()) + 1);
            entry["path"] = path;
            per_thumbnail.push_back(std::move(entry));
        }
        json exposure = exposureJson(thumbs::assessExposure(average));
        exposure["per_thumbnail"] = std::move(per_thumbnail);
        return json{{"exposure", std::move(exposure)}};
    }
};

class ThumbnailsPlugin final : public clipdex::Plugin {
public:
    explicit ThumbnailsPlugin(const clipdex::Host& host) : Plugin(host) { clipdex_ffmpeg::routeLogsTo(this->host()); }
    ~ThumbnailsPlugin() override { clipdex_ffmpeg::stopRoutingLogs(host()); }

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        if (command_id == "thumbnail" || command_id == "clip-thumbnail")
            return thumbs::thumbnailFile(host(), ctx, args.at("clip_id").get<std::string>(),
                                         args.value("n", std::int64_t{0}));
        return Plugin::invoke(command_id, args, ctx);
    }

    std::unique_ptr<clipdex::Step> createStep(std::string_view step_id, const json& config,
                                              clipdex::Context& ctx) override {
        if (step_id == "generate_thumbnails_step") return std::make_unique<ThumbnailsStep>(config);
        if (step_id == "analyze_exposure_step") return std::make_unique<ExposureStep>();
        return Plugin::createStep(step_id, config, ctx);
    }
};

}  // namespace

CLIPDEX_PLUGIN(ThumbnailsPlugin)
