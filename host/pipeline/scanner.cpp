#include "pipeline/scanner.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <mutex>
#include <set>
#include <vector>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

namespace clipdex::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kProbeBytes = 64 * 1024;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string averror(int code) {
    std::array<char, AV_ERROR_MAX_STRING_SIZE> buffer{};
    av_strerror(code, buffer.data(), buffer.size());
    return buffer.data();
}

/// Formats that hold one picture (or a picture sequence), never a video clip.
bool isStillImageFormat(std::string_view name) {
    if (name.size() > 5 && name.substr(name.size() - 5) == "_pipe") return true;
    static const std::set<std::string_view> stills = {"image2", "apng", "gif", "webp", "ico", "bmp", "mjpeg"};
    return stills.count(name) != 0;
}

void quietLibav() {
    static std::once_flag once;
    std::call_once(once, [] { av_log_set_level(AV_LOG_QUIET); });  // bad inputs are reported, not logged by libav
}

struct Walker {
    const ScanOptions& options;
    std::vector<ScanEntry>& out;
    std::set<fs::path> visited;
    std::size_t videos = 0;

    bool full() const { return options.limit != 0 && videos >= options.limit; }

    bool extensionListed(const fs::path& path) const {
        if (options.extensions.empty()) return true;
        std::string ext = lower(path.extension().string());
        if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
        return std::find(options.extensions.begin(), options.extensions.end(), ext) != options.extensions.end();
    }

    void file(const fs::path& path) {
        if (!extensionListed(path)) return;
        ScanEntry entry{path, "skipped", "", 0};
        std::error_code error;
        entry.size_bytes = fs::file_size(path, error);
        std::ifstream stream(path, std::ios::binary);
        if (error || !stream) {
            entry.status = "unreadable";
            entry.reason = "cannot read file: " + (error ? error.message() : std::string("permission denied"));
        } else {
            entry.reason = probeVideo(path);
            if (entry.reason.empty()) {
                entry.status = "video";
                ++videos;
            }
        }
        out.push_back(std::move(entry));
    }

    void directory(const fs::path& dir, bool top) {
        std::error_code error;
        const fs::path canonical = fs::canonical(dir, error);
        if (!error && !visited.insert(canonical).second) {
            out.push_back({dir, "skipped", "symlink loop or second link: directory " + canonical.string() + " was already scanned", 0});
            return;
        }
        std::vector<fs::path> children;
        fs::directory_iterator it(dir, fs::directory_options::none, error);
        for (; !error && it != fs::directory_iterator(); it.increment(error)) children.push_back(it->path());
        if (error) {
            if (top) throw fs::filesystem_error("cannot read directory", dir, error);
            out.push_back({dir, "unreadable", "cannot read directory: " + error.message(), 0});
            return;
        }
        std::sort(children.begin(), children.end(),
                  [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
        for (const fs::path& child : children) {
            if (full()) return;
            const std::string name = child.filename().string();
            if (name.empty() || name[0] == '.') continue;
            std::error_code status_error;
            const fs::file_status link = fs::symlink_status(child, status_error);
            const fs::file_status target = fs::status(child, status_error);
            if (status_error) {
                if (fs::is_symlink(link) && extensionListed(child))
                    out.push_back({child, "unreadable", "broken symbolic link", 0});
                continue;
            }
            if (fs::is_directory(target)) {
                if (options.recursive) directory(child, false);
            } else if (fs::is_regular_file(target)) {
                file(child);
            }
        }
    }
};

}  // namespace

std::vector<std::string> parseFileTypes(std::string_view list) {
    std::vector<std::string> types;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string part = lower(std::string(list.substr(start, comma - start)));
        part.erase(0, part.find_first_not_of(" \t."));
        part.erase(part.find_last_not_of(" \t") + 1);
        if (!part.empty() && std::find(types.begin(), types.end(), part) == types.end()) types.push_back(part);
        start = comma + 1;
    }
    return types;
}

std::string probeVideo(const fs::path& file) {
    quietLibav();
    std::ifstream stream(file, std::ios::binary);
    if (!stream) return "cannot read file";
    std::vector<unsigned char> buffer(kProbeBytes + AVPROBE_PADDING_SIZE, 0);
    stream.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(kProbeBytes));
    const auto got = static_cast<int>(stream.gcount());
    if (got == 0) return "empty file";
    const std::string name = file.string();
    AVProbeData probe{};
    probe.filename = name.c_str();
    probe.buf = buffer.data();
    probe.buf_size = got;
    int score = 0;
    const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
    if (format == nullptr || score <= AVPROBE_SCORE_RETRY / 2) return "not a recognised media format";
    if (isStillImageFormat(format->name)) return std::string("still image (") + format->name + "), not a video";

    AVFormatContext* context = nullptr;
    int code = avformat_open_input(&context, name.c_str(), format, nullptr);
    if (code < 0) return "cannot open as " + std::string(format->name) + ": " + averror(code);
    bool video = false;
    bool audio = false;
    auto look = [&] {
        for (unsigned index = 0; index < context->nb_streams; ++index) {
            const AVStream* stream_info = context->streams[index];
            const AVMediaType type = stream_info->codecpar->codec_type;
            if (type == AVMEDIA_TYPE_VIDEO && (stream_info->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) video = true;
            if (type == AVMEDIA_TYPE_AUDIO) audio = true;
        }
    };
    look();
    if (!video) {
        code = avformat_find_stream_info(context, nullptr);
        if (code >= 0) look();
    }
    avformat_close_input(&context);
    if (video) return "";
    if (code < 0) return "cannot read streams: " + averror(code);
    return audio ? "no video stream (audio only)" : "no video stream";
}

std::vector<ScanEntry> scanDirectory(const fs::path& root, const ScanOptions& options) {
    std::vector<ScanEntry> entries;
    Walker walker{options, entries, {}, 0};
    walker.directory(root, true);
    spdlog::debug("scanned {}: {} entries, {} videos", root.string(), entries.size(), walker.videos);
    return entries;
}

}  // namespace clipdex::pipeline
