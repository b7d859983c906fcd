// Audio and subtitle stream fields (FFmpeg 5.1 channel-layout API), named as ffprobe names them.
#include "media_common.hpp"

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace media {
namespace {

json codecName(const AVCodecParameters* par) {
    const AVCodecDescriptor* codec = avcodec_descriptor_get(par->codec_id);
    return codec != nullptr ? json(codec->name) : json("unknown");
}

json codecLongName(const AVCodecParameters* par) {
    const AVCodecDescriptor* codec = avcodec_descriptor_get(par->codec_id);
    return codec != nullptr ? optString(codec->long_name) : json();
}

}  // namespace

json audioFields(const AVStream* stream) {
    const AVCodecParameters* par = stream->codecpar;
    json a = json::object();
    a["index"] = stream->index;
    a["codec"] = codecName(par);
    a["codec_long_name"] = codecLongName(par);
    a["profile"] = optString(avcodec_profile_name(par->codec_id, par->profile));
    a["channels"] = par->ch_layout.nb_channels;
    a["channel_layout"] = nullptr;
    if (par->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC) {
        char layout[128] = {};
        if (av_channel_layout_describe(&par->ch_layout, layout, sizeof(layout)) > 0) a["channel_layout"] = layout;
    }
    a["sample_rate"] = par->sample_rate;
    const char* sample_format = av_get_sample_fmt_name(static_cast<AVSampleFormat>(par->format));
    a["sample_format"] = optString(sample_format);
    int depth = par->bits_per_raw_sample;
    if (depth <= 0) depth = av_get_bits_per_sample(par->codec_id);
    a["bit_depth"] = depth > 0 ? json(depth) : json();
    a["bit_rate"] = par->bit_rate > 0 ? json(par->bit_rate) : json();
    a["duration_seconds"] = seconds(stream->duration, stream->time_base);
    a["language"] = tag(stream->metadata, "language");
    a["title"] = tag(stream->metadata, "title");
    a["is_default"] = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
    return a;
}

bool isTextSubtitle(const AVCodecParameters* par) {
    const AVCodecDescriptor* codec = avcodec_descriptor_get(par->codec_id);
    return codec != nullptr && (codec->props & AV_CODEC_PROP_TEXT_SUB) != 0;
}

json subtitleFields(const AVStream* stream) {
    const AVCodecParameters* par = stream->codecpar;
    json s = json::object();
    s["index"] = stream->index;
    s["codec"] = codecName(par);
    s["codec_long_name"] = codecLongName(par);
    s["language"] = tag(stream->metadata, "language");
    s["title"] = tag(stream->metadata, "title");
    s["is_forced"] = (stream->disposition & AV_DISPOSITION_FORCED) != 0;
    s["is_default"] = (stream->disposition & AV_DISPOSITION_DEFAULT) != 0;
    s["is_text"] = isTextSubtitle(par);
    return s;
}

}  // namespace media
