// Small RAII helpers over the FFmpeg C API shared by the thumbnails plugin's sources.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace thumbs {

struct FrameFree {
    void operator()(AVFrame* frame) const noexcept { av_frame_free(&frame); }
};
struct PacketFree {
    void operator()(AVPacket* packet) const noexcept { av_packet_free(&packet); }
};
struct CodecFree {
    void operator()(AVCodecContext* codec) const noexcept { avcodec_free_context(&codec); }
};
struct SwsFree {
    void operator()(SwsContext* sws) const noexcept { sws_freeContext(sws); }
};

using FramePtr = std::unique_ptr<AVFrame, FrameFree>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFree>;
using SwsPtr = std::unique_ptr<SwsContext, SwsFree>;

inline std::string avError(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof(text));
    return text;
}

}  // namespace thumbs

namespace thumbs {

/// True when the frame's 8-bit luma already spans 0..255 (JPEG range): yuvj formats or a JPEG range tag.
inline bool isFullRange(const AVFrame& frame) {
    switch (frame.format) {
        case AV_PIX_FMT_YUVJ420P:
        case AV_PIX_FMT_YUVJ422P:
        case AV_PIX_FMT_YUVJ444P:
        case AV_PIX_FMT_YUVJ440P:
            return true;
        default:
            return frame.color_range == AVCOL_RANGE_JPEG;
    }
}

}  // namespace thumbs
