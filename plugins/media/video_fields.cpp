// Per-video-stream fields from AVCodecParameters and the stream, named as ffprobe names them where it
// has a name (profile, pixel format, field_order, color_*), plus the original tool's derived values.
#include "media_common.hpp"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include <cmath>
#include <cstdio>

namespace media {
namespace {

json fieldOrderName(AVFieldOrder order) {
    switch (order) {
        case AV_FIELD_PROGRESSIVE: return "progressive";
        case AV_FIELD_TT: return "tt";
        case AV_FIELD_BB: return "bb";
        case AV_FIELD_TB: return "tb";
        case AV_FIELD_BT: return "bt";
        default: return nullptr;
    }
}

json scanType(AVFieldOrder order) {
    if (order == AV_FIELD_PROGRESSIVE) return "progressive";
    if (order == AV_FIELD_TT || order == AV_FIELD_BB || order == AV_FIELD_TB || order == AV_FIELD_BT)
        return "interlaced";
    return nullptr;
}

// "4:2:0" etc. from the pixel format's chroma shifts; RGB formats are 4:4:4, one-plane grey is 4:0:0.
json chromaSubsampling(const AVPixFmtDescriptor* desc) {
    if (desc == nullptr) return nullptr;
    if ((desc->flags & AV_PIX_FMT_FLAG_RGB) != 0) return "4:4:4";
    if (desc->nb_components < 3) return "4:0:0";
    const int w = desc->log2_chroma_w;
    const int h = desc->log2_chroma_h;
    if (w == 0 && h == 0) return "4:4:4";
    if (w == 1 && h == 0) return "4:2:2";
    if (w == 1 && h == 1) return "4:2:0";
    if (w == 2 && h == 0) return "4:1:1";
    if (w == 0 && h == 1) return "4:4:0";
    if (w == 2 && h == 2) return "4:1:0";
    return nullptr;
}

// The level as the original reported it ("4.1"): H.264 stores 10x, HEVC 30x, VVC 16x; others verbatim.
json levelText(AVCodecID codec, int level) {
    if (level <= 0 || level == FF_LEVEL_UNKNOWN) return nullptr;
    int scale = 0;
    if (codec == AV_CODEC_ID_H264) scale = 10;
    if (codec == AV_CODEC_ID_HEVC) scale = 30;
    if (scale == 0) return std::to_string(level);
    char text[32];
    const double value = static_cast<double>(level) / scale;
    if (std::fabs(value - std::round(value)) < 1e-9)
        std::snprintf(text, sizeof(text), "%d", static_cast<int>(std::lround(value)));
    else
        std::snprintf(text, sizeof(text), "%.1f", value);
    return text;
}

json colorName(const char* name, bool specified) {
    return specified ? optString(name) : json();
}

}  // namespace

json videoFields(AVFormatContext* format, AVStream* stream) {
    const AVCodecParameters* par = stream->codecpar;
    const AVCodecDescriptor* codec = avcodec_descriptor_get(par->codec_id);
    const auto pix_fmt = static_cast<AVPixelFormat>(par->format);
    const AVPixFmtDescriptor* pix = av_pix_fmt_desc_get(pix_fmt);
    json v = json::object();
    v["index"] = stream->index;
    v["codec"] = codec != nullptr ? json(codec->name) : json("unknown");
    v["codec_long_name"] = codec != nullptr ? optString(codec->long_name) : json();
    v["codec_tag"] = par->codec_tag != 0 ? json([&] {
        char tag_text[AV_FOURCC_MAX_STRING_SIZE] = {};
        return std::string(av_fourcc_make_string(tag_text, par->codec_tag));
    }())
                                         : json();
    v["profile"] = optString(avcodec_profile_name(par->codec_id, par->profile));
    v["level"] = levelText(par->codec_id, par->level);
    v["level_idc"] = par->level != FF_LEVEL_UNKNOWN ? json(par->level) : json();
    v["pixel_format"] = pix != nullptr ? json(pix->name) : json();
    int depth = par->bits_per_raw_sample;
    if (pix != nullptr && pix->nb_components > 0) depth = pix->comp[0].depth;
    v["bit_depth"] = depth > 0 ? json(depth) : json();
    v["chroma_subsampling"] = chromaSubsampling(pix);
    v["width"] = par->width;
    v["height"] = par->height;
    // SAR/DAR as ffprobe computes them: the guessed SAR, the DAR reduced from width*SAR : height.
    const AVRational sar = av_guess_sample_aspect_ratio(format, stream, nullptr);
    if (sar.num != 0 && par->width > 0 && par->height > 0) {
        AVRational dar{};
        av_reduce(&dar.num, &dar.den, static_cast<int64_t>(par->width) * sar.num,
                  static_cast<int64_t>(par->height) * sar.den, 1024 * 1024);
        v["sample_aspect_ratio"] = rationalText(sar, ':');
        v["display_aspect_ratio"] = rationalText(dar, ':');
    } else {
        v["sample_aspect_ratio"] = nullptr;
        v["display_aspect_ratio"] = nullptr;
    }
    // Rotation from the display matrix, as ffprobe reports it (degrees, counter-clockwise positive).
    double rotation = 0;
    if (const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr)) {
        rotation = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
        if (std::isnan(rotation)) rotation = 0;
    }
    v["rotation"] = static_cast<int>(std::lround(rotation));
    v["frame_rate"] = rationalNumber(stream->avg_frame_rate);
    v["real_frame_rate"] = rationalNumber(stream->r_frame_rate);
    v["avg_frame_rate"] = rationalText(stream->avg_frame_rate, '/');
    v["r_frame_rate"] = rationalText(stream->r_frame_rate, '/');
    v["time_base"] = rationalText(stream->time_base, '/');
    v["field_order"] = fieldOrderName(par->field_order);
    v["scan_type"] = scanType(par->field_order);
    v["color_range"] = colorName(av_color_range_name(par->color_range), par->color_range != AVCOL_RANGE_UNSPECIFIED);
    v["color_space"] = colorName(av_color_space_name(par->color_space), par->color_space != AVCOL_SPC_UNSPECIFIED);
    v["color_primaries"] =
        colorName(av_color_primaries_name(par->color_primaries), par->color_primaries != AVCOL_PRI_UNSPECIFIED);
    v["color_transfer"] = colorName(av_color_transfer_name(par->color_trc), par->color_trc != AVCOL_TRC_UNSPECIFIED);
    v["chroma_location"] =
        colorName(av_chroma_location_name(par->chroma_location), par->chroma_location != AVCHROMA_LOC_UNSPECIFIED);
    v["bit_rate"] = par->bit_rate > 0 ? json(par->bit_rate) : json();
    v["nb_frames"] = stream->nb_frames > 0 ? json(stream->nb_frames) : json();
    v["duration_seconds"] = seconds(stream->duration, stream->time_base);
    v["language"] = tag(stream->metadata, "language");
    v["title"] = tag(stream->metadata, "title");
    v["is_default"] = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
    return v;
}

}  // namespace media
