// RAII holders and small helpers over the FFmpeg C API, shared as a header by the first-party plugins that
// decode media (media, thumbnails, embedders). Each plugin library compiles its own copy.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <clipdex/plugin.hpp>
#include <memory>
#include <string>

namespace clipdex_ffmpeg {

struct InputClose {
    void operator()(AVFormatContext* format) const noexcept { avformat_close_input(&format); }
};
struct CodecFree {
    void operator()(AVCodecContext* codec) const noexcept { avcodec_free_context(&codec); }
};
struct PacketFree {
    void operator()(AVPacket* packet) const noexcept { av_packet_free(&packet); }
};
struct FrameFree {
    void operator()(AVFrame* frame) const noexcept { av_frame_free(&frame); }
};
struct SwsFree {
    void operator()(SwsContext* sws) const noexcept { sws_freeContext(sws); }
};

using InputPtr = std::unique_ptr<AVFormatContext, InputClose>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFree>;

/// av_strerror as a std::string.
inline std::string avError(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof(text));
    return text;
}

/// True when the frame's 8-bit luma already spans 0..255 (JPEG range): yuvj formats or a JPEG range tag.
inline bool isFullRange(const AVFrame& frame) {
    switch (frame.format) {
        case AV_PIX_FMT_YUVJ420P:
        case AV_PIX_FMT_YUVJ422P:
        case AV_PIX_FMT_YUVJ444P:
        case AV_PIX_FMT_YUVJ440P: return true;
        default: return frame.color_range == AVCOL_RANGE_JPEG;
    }
}

/// The yuvj formats are yuv plus full range, which swscale wants spelt that way (the range is set apart).
inline AVPixelFormat withoutJ(AVPixelFormat format) {
    switch (format) {
        case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
        case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
        case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
        case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
        default: return format;
    }
}

/// A full-range scaler from `frame` to width x height in `format`. Ranges are set before sws_init_context:
/// sws_setColorspaceDetails afterwards is ignored on swscale's fast paths (washed-out output). Null if
/// swscale cannot convert the source pixel format.
inline SwsPtr fullRangeScaler(const AVFrame& frame, int width, int height, AVPixelFormat format, int flags) {
    SwsPtr sws(sws_alloc_context());
    if (!sws) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (swscale)");
    av_opt_set_int(sws.get(), "srcw", frame.width, 0);
    av_opt_set_int(sws.get(), "srch", frame.height, 0);
    av_opt_set_int(sws.get(), "src_format", withoutJ(static_cast<AVPixelFormat>(frame.format)), 0);
    av_opt_set_int(sws.get(), "dstw", width, 0);
    av_opt_set_int(sws.get(), "dsth", height, 0);
    av_opt_set_int(sws.get(), "dst_format", format, 0);
    av_opt_set_int(sws.get(), "src_range", isFullRange(frame) ? 1 : 0, 0);
    av_opt_set_int(sws.get(), "dst_range", 1, 0);
    av_opt_set_int(sws.get(), "sws_flags", flags, 0);
    if (sws_init_context(sws.get(), nullptr, nullptr) < 0) return nullptr;
    return sws;
}

}  // namespace clipdex_ffmpeg
