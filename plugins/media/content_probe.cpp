// `clipdex media probe FILE`: is this file a video? Decided from its content, not its name. The ingest
// scanner asks this command about every candidate file, so FFmpeg stays out of the host binary.
#include <array>
#include <fstream>
#include <set>
#include <string_view>
#include <vector>

#include "media_common.hpp"

namespace media {
namespace {

constexpr std::size_t kProbeBytes = 64 * 1024;

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

/// "" when the file holds a video stream, else why it is not a video.
std::string notVideoReason(const std::string& path) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) return "cannot read file";
    std::vector<unsigned char> buffer(kProbeBytes + AVPROBE_PADDING_SIZE, 0);
    stream.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(kProbeBytes));
    const auto got = static_cast<int>(stream.gcount());
    if (got == 0) return "empty file";
    AVProbeData probe{};
    probe.filename = path.c_str();
    probe.buf = buffer.data();
    probe.buf_size = got;
    int score = 0;
    const AVInputFormat* format = av_probe_input_format3(&probe, 1, &score);
    if (format == nullptr || score <= AVPROBE_SCORE_RETRY / 2) return "not a recognised media format";
    if (isStillImageFormat(format->name)) return std::string("still image (") + format->name + "), not a video";

    AVFormatContext* context = nullptr;
    int code = avformat_open_input(&context, path.c_str(), format, nullptr);
    if (code < 0) return "cannot open as " + std::string(format->name) + ": " + averror(code);
    bool video = false;
    bool audio = false;
    auto look = [&] {
        for (unsigned index = 0; index < context->nb_streams; ++index) {
            const AVStream* info = context->streams[index];
            const AVMediaType type = info->codecpar->codec_type;
            if (type == AVMEDIA_TYPE_VIDEO && (info->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) video = true;
            if (type == AVMEDIA_TYPE_AUDIO) audio = true;
        }
    };
    look();
    if (!video) {  // some containers only reveal their streams after reading packets
        code = avformat_find_stream_info(context, nullptr);
        if (code >= 0) look();
    }
    avformat_close_input(&context);
    if (video) return "";
    if (code < 0) return "cannot read streams: " + averror(code);
    return audio ? "no video stream (audio only)" : "no video stream";
}

}  // namespace

clipdex::json probeContent(const std::string& path) {
    const std::string reason = notVideoReason(path);
    return clipdex::json{{"path", path}, {"is_video", reason.empty()}, {"reason", reason}};
}

}  // namespace media
