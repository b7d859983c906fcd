// Opening a file with libavformat and assembling the extract_metadata_step output: container, every
// stream by type, chapters, container tags and the original tool's flat summary keys.
#include <cmath>
#include <cstdint>

#include "media_common.hpp"

namespace media {

InputPtr openInput(const std::string& path, const std::string& name) {
    AVFormatContext* raw = nullptr;
    int status = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
    if (status < 0)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "cannot read " + name + " as media: " + avError(status));
    InputPtr input(raw);
    status = avformat_find_stream_info(input.get(), nullptr);
    if (status < 0)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "cannot read " + name + " as media: " + avError(status));
    // A picture renamed to .mp4 opens through an image demuxer as a one-frame "video".
    const std::string demuxer = input->iformat->name != nullptr ? input->iformat->name : "";
    if (demuxer == "image2" || (demuxer.size() > 5 && demuxer.compare(demuxer.size() - 5, 5, "_pipe") == 0))
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, name + " is a still image (" + demuxer + "), not a video");
    if (input->nb_streams == 0)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "cannot read " + name + " as media: no streams found");
    return input;
}

json tag(const AVDictionary* tags, const char* key) {
    const AVDictionaryEntry* entry = av_dict_get(tags, key, nullptr, 0);
    return entry != nullptr ? optString(entry->value) : json();
}

json tagsObject(const AVDictionary* tags) {
    json out = json::object();
    const AVDictionaryEntry* entry = nullptr;
    while ((entry = av_dict_get(tags, "", entry, AV_DICT_IGNORE_SUFFIX)) != nullptr)
        out[entry->key] = entry->value != nullptr ? entry->value : "";
    return out;
}

json rationalText(AVRational value, char separator) {
    if (value.num == 0 || value.den == 0) return json();
    return std::to_string(value.num) + separator + std::to_string(value.den);
}

json rationalNumber(AVRational value) {
    if (value.num == 0 || value.den == 0) return json();
    return av_q2d(value);
}

json seconds(int64_t ts, AVRational time_base) {
    if (ts == AV_NOPTS_VALUE || time_base.den == 0) return json();
    return static_cast<double>(ts) * av_q2d(time_base);
}

bool isVideo(const AVStream* stream) {
    return stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
           (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0;
}

json extractMetadata(const std::string& path, const std::string& name, const clipdex::Context& ctx) {
    InputPtr input = openInput(path, name);
    AVFormatContext* format = input.get();
    json video = json::array();
    json audio = json::array();
    json subtitles = json::array();
    AVStream* primary = nullptr;
    for (unsigned i = 0; i < format->nb_streams; ++i) {
        ctx.throwIfCancelled();
        AVStream* stream = format->streams[i];
        switch (stream->codecpar->codec_type) {
            case AVMEDIA_TYPE_VIDEO:
                if (!isVideo(stream)) break;
                video.push_back(videoFields(format, stream));
                addStreamHdrFields(stream, video.back());
                if (primary == nullptr) primary = stream;
                break;
            case AVMEDIA_TYPE_AUDIO: audio.push_back(audioFields(stream)); break;
            case AVMEDIA_TYPE_SUBTITLE: subtitles.push_back(subtitleFields(stream)); break;
            default: break;
        }
    }
    if (primary == nullptr) throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "no video stream (audio-only file): " + name);
    // Decoding touches only the primary stream: the first frame's side data, refs and the GOP length.
    json& first = video.front();
    addDecodedVideoFields(format, primary, first, ctx);

    json out = json::object();
    out["container"] = containerFields(format);
    out["container"]["name"] = containerName(format);  // "MPEG-4", "Matroska": the original's `container`
    out["video"] = std::move(video);
    out["audio"] = std::move(audio);
    out["subtitles"] = std::move(subtitles);
    out["chapters"] = chapterList(format);
    addContainerTags(format, out);
    out["has_video"] = true;
    out["has_audio"] = !out["audio"].empty();

    // The original's flat summary (inventory §2.4), with bit_rate_kbps in real kilobits per second.
    const json& container = out["container"];
    const json& v = out["video"].front();
    out["duration_seconds"] = container["duration_seconds"];
    out["width"] = v["width"];
    out["height"] = v["height"];
    out["frame_rate"] = v["frame_rate"];
    out["codec"] = v["codec"];
    if (container["bit_rate"].is_number())
        out["bit_rate_kbps"] = static_cast<int64_t>(std::llround(container["bit_rate"].get<double>() / 1000.0));
    else
        out["bit_rate_kbps"] = nullptr;
    out["file_size_bytes"] = container["size_bytes"];
    return out;
}

}  // namespace media
