// HDR signalling of a video stream (PQ/HLG transfer, mastering display, content light level, Dolby Vision
// configuration record, HDR10+), first found on the stream and otherwise on its first decoded frame, plus
// the decoder's reference-frame count and the GOP length measured between the first two keyframes.
#include "media_common.hpp"

extern "C" {
#include <libavutil/dovi_meta.h>
#include <libavutil/mastering_display_metadata.h>
}

#include <cstdint>

namespace media {
namespace {

constexpr int kMaxScannedPackets = 320;           // bounds the GOP scan (x264's keyint 250 fits)
constexpr int64_t kMaxScannedBytes = 24LL << 20;  // and its I/O

json masteringDisplay(const AVMasteringDisplayMetadata& md) {
    json out = json::object();
    if (md.has_primaries) {
        const char* names[3] = {"red", "green", "blue"};
        for (int c = 0; c < 3; ++c) {
            out[std::string(names[c]) + "_x"] = av_q2d(md.display_primaries[c][0]);
            out[std::string(names[c]) + "_y"] = av_q2d(md.display_primaries[c][1]);
        }
        out["white_point_x"] = av_q2d(md.white_point[0]);
        out["white_point_y"] = av_q2d(md.white_point[1]);
    }
    if (md.has_luminance) {
        out["min_luminance"] = av_q2d(md.min_luminance);
        out["max_luminance"] = av_q2d(md.max_luminance);
    }
    return out;
}

json contentLight(const AVContentLightMetadata& cll) {
    return json{{"max_cll", cll.MaxCLL}, {"max_fall", cll.MaxFALL}};
}

json doviRecord(const AVDOVIDecoderConfigurationRecord& dovi) {
    return json{{"version", std::to_string(dovi.dv_version_major) + "." + std::to_string(dovi.dv_version_minor)},
                {"profile", dovi.dv_profile},
                {"level", dovi.dv_level},
                {"rpu_present", dovi.rpu_present_flag != 0},
                {"el_present", dovi.el_present_flag != 0},
                {"bl_present", dovi.bl_present_flag != 0},
                {"bl_signal_compatibility_id", dovi.dv_bl_signal_compatibility_id}};
}

// hdr_format from everything known so far; Dolby Vision wins over HDR10+ over the transfer function.
void classify(json& v) {
    json format;
    const json& trc = v["color_transfer"];
    if (trc == "smpte2084") format = "HDR10";
    if (trc == "arib-std-b67") format = "HLG";
    if (v.value("hdr10_plus", false)) format = "HDR10+";
    if (v["dolby_vision"].is_object()) format = "Dolby Vision";
    v["hdr_format"] = format;
    v["is_hdr"] = !format.is_null();
}

void addFrameSideData(const AVFrame& frame, json& v) {
    if (v["mastering_display"].is_null())
        if (const AVFrameSideData* sd = av_frame_get_side_data(&frame, AV_FRAME_DATA_MASTERING_DISPLAY_METADATA))
            v["mastering_display"] = masteringDisplay(*reinterpret_cast<const AVMasteringDisplayMetadata*>(sd->data));
    if (v["content_light_level"].is_null())
        if (const AVFrameSideData* sd = av_frame_get_side_data(&frame, AV_FRAME_DATA_CONTENT_LIGHT_LEVEL))
            v["content_light_level"] = contentLight(*reinterpret_cast<const AVContentLightMetadata*>(sd->data));
    if (av_frame_get_side_data(&frame, AV_FRAME_DATA_DYNAMIC_HDR_PLUS) != nullptr) v["hdr10_plus"] = true;
}

CodecPtr openDecoder(const AVStream* stream) {
    const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    if (decoder == nullptr) return nullptr;
    CodecPtr codec(avcodec_alloc_context3(decoder));
    if (!codec || avcodec_parameters_to_context(codec.get(), stream->codecpar) < 0) return nullptr;
    codec->pkt_timebase = stream->time_base;
    codec->thread_count = 1;  // one frame is wanted; frame threading would delay it
    if (avcodec_open2(codec.get(), decoder, nullptr) < 0) return nullptr;
    return codec;
}

}  // namespace

void addStreamHdrFields(const AVStream* stream, json& v) {
    v["mastering_display"] = nullptr;
    v["content_light_level"] = nullptr;
    v["dolby_vision"] = nullptr;
    size_t size = 0;
    if (const uint8_t* data = av_stream_get_side_data(stream, AV_PKT_DATA_MASTERING_DISPLAY_METADATA, &size))
        if (size >= sizeof(AVMasteringDisplayMetadata))
            v["mastering_display"] = masteringDisplay(*reinterpret_cast<const AVMasteringDisplayMetadata*>(data));
    if (const uint8_t* data = av_stream_get_side_data(stream, AV_PKT_DATA_CONTENT_LIGHT_LEVEL, &size))
        if (size >= sizeof(AVContentLightMetadata))
            v["content_light_level"] = contentLight(*reinterpret_cast<const AVContentLightMetadata*>(data));
    if (const uint8_t* data = av_stream_get_side_data(stream, AV_PKT_DATA_DOVI_CONF, &size))
        if (size >= sizeof(AVDOVIDecoderConfigurationRecord))
            v["dolby_vision"] = doviRecord(*reinterpret_cast<const AVDOVIDecoderConfigurationRecord*>(data));
    classify(v);
}

void addDecodedVideoFields(AVFormatContext* format, AVStream* stream, json& v, const clipdex::Context& ctx) {
    CodecPtr codec = openDecoder(stream);
    PacketPtr packet(av_packet_alloc());
    FramePtr frame(av_frame_alloc());
    if (!packet || !frame) throw clipdex::Error(CDX_E_INTERNAL, "out of memory");
    // avformat_find_stream_info kept what it read buffered, so reading starts at the first packet again.
    bool have_frame = false;
    int packets = 0;
    int64_t bytes = 0;
    int first_key = -1;
    int gop = -1;
    // Decode until the first frame, and keep reading (not decoding) until the second keyframe.
    while (packets < kMaxScannedPackets && bytes < kMaxScannedBytes && (gop < 0 || !have_frame)) {
        ctx.throwIfCancelled();
        if (av_read_frame(format, packet.get()) < 0) break;
        if (packet->stream_index == stream->index) {
            bytes += packet->size;
            if ((packet->flags & AV_PKT_FLAG_KEY) != 0) {
                if (first_key < 0)
                    first_key = packets;
                else if (gop < 0)
                    gop = packets - first_key;
            }
            ++packets;
            if (codec && !have_frame && avcodec_send_packet(codec.get(), packet.get()) >= 0)
                have_frame = avcodec_receive_frame(codec.get(), frame.get()) >= 0;
        }
        av_packet_unref(packet.get());
    }
    if (codec && !have_frame && avcodec_send_packet(codec.get(), nullptr) >= 0)
        have_frame = avcodec_receive_frame(codec.get(), frame.get()) >= 0;
    if (have_frame) addFrameSideData(*frame, v);
    if (gop > 0) v["gop_size"] = gop;
    // Only the H.264 decoder copies the SPS reference count into `refs`; elsewhere it is the default 1.
    if (codec && have_frame && codec->refs > 0 && stream->codecpar->codec_id == AV_CODEC_ID_H264)
        v["ref_frames"] = codec->refs;
    v["has_b_frames"] = stream->codecpar->video_delay;
    classify(v);
}

}  // namespace media
