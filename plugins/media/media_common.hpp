// Shared declarations of the media plugin: FFmpeg includes, RAII holders and the field builders that the
// probe assembles into the extract_metadata_step output.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
}

#include <clipdex/plugin.hpp>
#include <memory>
#include <string>

#include "../common/ffmpeg_util.hpp"

namespace media {

using clipdex::json;

using clipdex_ffmpeg::avError;
using clipdex_ffmpeg::CodecPtr;
using clipdex_ffmpeg::FramePtr;
using clipdex_ffmpeg::InputPtr;
using clipdex_ffmpeg::PacketPtr;

/// Opens `path` and reads stream info; throws INVALID_ARGUMENT "cannot read <name> as media: <error>".
InputPtr openInput(const std::string& path, const std::string& name);

/// A C string as JSON: null when absent or empty.
inline json optString(const char* text) {
    return (text != nullptr && *text != '\0') ? json(text) : json();
}
/// A tag value (case-insensitive key), or null.
json tag(const AVDictionary* tags, const char* key);
/// Every tag as a JSON object of strings.
json tagsObject(const AVDictionary* tags);
/// "num:den" / "num/den" style text, or null when the rational is 0 or invalid.
json rationalText(AVRational value, char separator);
/// The rational as a double, or null when den or num is 0.
json rationalNumber(AVRational value);
/// Seconds of `ts` in `time_base`, or null for AV_NOPTS_VALUE.
json seconds(int64_t ts, AVRational time_base);

/// True for a real video stream (not cover art).
bool isVideo(const AVStream* stream);

// video_fields.cpp
json videoFields(AVFormatContext* format, AVStream* stream);
// video_side_data.cpp: first-frame HDR side data, reference frames and GOP length of one video stream.
void addDecodedVideoFields(AVFormatContext* format, AVStream* stream, json& video, const clipdex::Context& ctx);
/// Stream-level HDR fields (transfer, mastering display, content light, Dolby Vision record).
void addStreamHdrFields(const AVStream* stream, json& video);
// audio_subtitle_fields.cpp
json audioFields(const AVStream* stream);
json subtitleFields(const AVStream* stream);
bool isTextSubtitle(const AVCodecParameters* codecpar);
// container_tags.cpp
json containerFields(AVFormatContext* format);
json chapterList(const AVFormatContext* format);
/// timecode, creation_time, camera and location into `out`.
void addContainerTags(const AVFormatContext* format, json& out);
/// Parses an ISO 6709 point ("+48.8584+002.2945+35.5/"); null when it is not one.
json parseIso6709(const std::string& text);
/// MediaInfo-style container name ("MPEG-4", "QuickTime", "Matroska", ...), as the original reported.
std::string containerName(const AVFormatContext* format);
// probe.cpp
json extractMetadata(const std::string& path, const std::string& name, const clipdex::Context& ctx);
/// {path, is_video, reason}: whether the file holds a video stream, judged from its content.
json probeContent(const std::string& path);
// subtitle_transcript.cpp
json extractTranscript(const std::string& path, const std::string& name, const json& metadata,
                       const clipdex::Context& ctx);
/// The visible text of one ASS dialogue/event line: override tags removed, \N as a line break.
std::string assText(const std::string& ass_line);

}  // namespace media
