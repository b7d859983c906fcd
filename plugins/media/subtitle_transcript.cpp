// extract_subtitle_transcript_step: decodes every text subtitle track (SRT, ASS/SSA, WebVTT, mov_text)
// with avcodec_decode_subtitle2 and turns the events into timed segments with markup removed.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "media_common.hpp"

namespace media {
namespace {

struct Track {
    AVStream* stream = nullptr;
    CodecPtr codec;
    json segments = json::array();
};

void trim(std::string& text) {
    const auto not_space = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
    text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
}

// Strips the few HTML-like tags text decoders can leave in plain text rects (<i>, <font ...>).
std::string stripHtml(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<') {
            const size_t close = text.find('>', i);
            if (close != std::string::npos && close - i < 64) {
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string rectText(const AVSubtitleRect& rect) {
    if (rect.type == SUBTITLE_ASS && rect.ass != nullptr) return assText(rect.ass);
    if (rect.type == SUBTITLE_TEXT && rect.text != nullptr) {
        std::string text = stripHtml(rect.text);
        trim(text);
        return text;
    }
    return {};
}

void decodePacket(Track& track, AVPacket& packet) {
    AVSubtitle subtitle{};
    int got = 0;
    if (avcodec_decode_subtitle2(track.codec.get(), &subtitle, &got, &packet) < 0 || got == 0) return;
    std::string text;
    for (unsigned i = 0; i < subtitle.num_rects; ++i) {
        const std::string part = rectText(*subtitle.rects[i]);
        if (part.empty()) continue;
        if (!text.empty()) text += '\n';
        text += part;
    }
    double base = 0;
    if (subtitle.pts != AV_NOPTS_VALUE)
        base = static_cast<double>(subtitle.pts) / AV_TIME_BASE;
    else if (packet.pts != AV_NOPTS_VALUE)
        base = static_cast<double>(packet.pts) * av_q2d(track.stream->time_base);
    const double start = base + subtitle.start_display_time / 1000.0;
    double end = start;
    if (subtitle.end_display_time > subtitle.start_display_time && subtitle.end_display_time != UINT32_MAX)
        end = base + subtitle.end_display_time / 1000.0;
    else if (packet.duration > 0)
        end = base + static_cast<double>(packet.duration) * av_q2d(track.stream->time_base);
    avsubtitle_free(&subtitle);
    if (!text.empty()) track.segments.push_back(json{{"start_seconds", start}, {"end_seconds", end}, {"text", text}});
}

json trackJson(const Track& track) {
    json segments = track.segments;
    std::stable_sort(segments.begin(), segments.end(), [](const json& a, const json& b) {
        return a["start_seconds"].get<double>() < b["start_seconds"].get<double>();
    });
    std::string full_text;
    for (const json& segment : segments) {
        if (!full_text.empty()) full_text += '\n';
        full_text += segment["text"].get<std::string>();
    }
    const AVStream* stream = track.stream;
    const AVCodecDescriptor* codec = avcodec_descriptor_get(stream->codecpar->codec_id);
    return json{{"track_index", stream->index},
                {"codec", codec != nullptr ? json(codec->name) : json()},
                {"language", tag(stream->metadata, "language")},
                {"title", tag(stream->metadata, "title")},
                {"is_default", (stream->disposition & AV_DISPOSITION_DEFAULT) != 0},
                {"is_forced", (stream->disposition & AV_DISPOSITION_FORCED) != 0},
                {"segment_count", segments.size()},
                {"full_text", full_text},
                {"segments", segments}};
}

}  // namespace

std::string assText(const std::string& line) {
    // Decoded rects are "ReadOrder,Layer,Style,Name,MarginL,MarginR,MarginV,Effect,Text"; a full
    // "Dialogue: ..." line has one field fewer before the text but starts with the prefix.
    size_t pos = 0;
    int fields = 8;
    if (line.rfind("Dialogue:", 0) == 0) pos = 9, fields = 9;
    for (int i = 0; i < fields && pos != std::string::npos; ++i) {
        pos = line.find(',', pos);
        if (pos != std::string::npos) ++pos;
    }
    const std::string raw = pos == std::string::npos ? line : line.substr(pos);
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '{') {  // override block {\b1}, {\pos(..)}, comments
            const size_t close = raw.find('}', i);
            if (close != std::string::npos) {
                i = close;
                continue;
            }
        }
        if (c == '\\' && i + 1 < raw.size()) {
            const char next = raw[i + 1];
            if (next == 'N' || next == 'n') {
                out += '\n';
                ++i;
                continue;
            }
            if (next == 'h') {
                out += ' ';
                ++i;
                continue;
            }
        }
        out += c;
    }
    out = stripHtml(out);
    trim(out);
    return out;
}

json extractTranscript(const std::string& path, const std::string& name, const json& metadata,
                       const clipdex::Context& ctx) {
    const json empty{{"transcript", nullptr}, {"tracks", json::array()}};
    if (metadata.is_object() && metadata.contains("subtitles")) {
        const json& subtitles = metadata["subtitles"];
        if (std::none_of(subtitles.begin(), subtitles.end(), [](const json& s) { return s.value("is_text", false); }))
            return empty;
    }
    InputPtr input = openInput(path, name);
    std::vector<Track> tracks;
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        AVStream* stream = input->streams[i];
        stream->discard = AVDISCARD_ALL;
        if (stream->codecpar->codec_type != AVMEDIA_TYPE_SUBTITLE || !isTextSubtitle(stream->codecpar)) continue;
        const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
        if (decoder == nullptr) continue;
        CodecPtr codec(avcodec_alloc_context3(decoder));
        if (!codec || avcodec_parameters_to_context(codec.get(), stream->codecpar) < 0) continue;
        codec->pkt_timebase = stream->time_base;
        if (avcodec_open2(codec.get(), decoder, nullptr) < 0) {
            ctx.warn("cannot open the subtitle decoder of stream " + std::to_string(i) + " in " + name);
            continue;
        }
        stream->discard = AVDISCARD_DEFAULT;
        tracks.push_back(Track{stream, std::move(codec), json::array()});
    }
    if (tracks.empty()) return empty;
    PacketPtr packet(av_packet_alloc());
    if (!packet) throw clipdex::Error(CDX_E_INTERNAL, "out of memory");
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        ctx.throwIfCancelled();
        for (Track& track : tracks)
            if (track.stream->index == packet->stream_index) decodePacket(track, *packet);
        av_packet_unref(packet.get());
    }
    json out = empty;
    const Track* chosen = nullptr;
    for (const Track& track : tracks) {
        out["tracks"].push_back(trackJson(track));
        if (track.segments.empty()) continue;
        const bool is_default = (track.stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
        if (chosen == nullptr || (is_default && (chosen->stream->disposition & AV_DISPOSITION_DEFAULT) == 0))
            chosen = &track;
    }
    if (chosen != nullptr) {
        const json full = trackJson(*chosen);
        out["transcript"] =
            json{{"source", "subtitles"},  {"track_index", full["track_index"]}, {"language", full["language"]},
                 {"codec", full["codec"]}, {"full_text", full["full_text"]},     {"segments", full["segments"]}};
    }
    return out;
}

}  // namespace media
