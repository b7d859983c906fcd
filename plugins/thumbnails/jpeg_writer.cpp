// swscale (ranges set before sws_init_context, toolchain pitfall 10) + mjpeg encoder with QSCALE.
#include "jpeg_writer.hpp"

#include <clipdex/plugin.hpp>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
}

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <system_error>
#include <utility>

namespace thumbs {
namespace {

constexpr int kQuality = 2;  // mjpeg qscale: 2 is about PIL's quality 95

FramePtr scale(const AVFrame& frame, int width, int height) {
    // Untagged video is limited range; JPEG/JFIF is full range.
    SwsPtr sws = fullRangeScaler(frame, width, height, AV_PIX_FMT_YUV420P, SWS_LANCZOS | SWS_ACCURATE_RND);
    FramePtr out(av_frame_alloc());
    if (!out) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (frame)");
    if (!sws)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT,
                             "swscale cannot convert pixel format " + std::to_string(frame.format) + " to yuv420p");
    out->format = AV_PIX_FMT_YUV420P;
    out->width = width;
    out->height = height;
    out->color_range = AVCOL_RANGE_JPEG;
    out->colorspace = AVCOL_SPC_BT470BG;
    out->sample_aspect_ratio = AVRational{1, 1};
    if (av_frame_get_buffer(out.get(), 0) < 0) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (frame)");
    sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, out->data, out->linesize);
    return out;
}

// Turns a yuv420p picture clockwise by 90, 180 or 270 degrees, plane by plane.
FramePtr rotate(const AVFrame& in, int rotation) {
    FramePtr out(av_frame_alloc());
    if (!out) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (frame)");
    const bool quarter = rotation == 90 || rotation == 270;
    out->format = in.format;
    out->width = quarter ? in.height : in.width;
    out->height = quarter ? in.width : in.height;
    out->color_range = in.color_range;
    out->colorspace = in.colorspace;
    out->sample_aspect_ratio = in.sample_aspect_ratio;
    if (av_frame_get_buffer(out.get(), 0) < 0) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (frame)");
    for (int p = 0; p < 3; ++p) {
        const int w = p == 0 ? in.width : AV_CEIL_RSHIFT(in.width, 1);
        const int h = p == 0 ? in.height : AV_CEIL_RSHIFT(in.height, 1);
        for (int y = 0; y < h; ++y) {
            const uint8_t* src = in.data[p] + static_cast<std::ptrdiff_t>(y) * in.linesize[p];
            for (int x = 0; x < w; ++x) {
                const int dx = rotation == 90 ? h - 1 - y : rotation == 180 ? w - 1 - x : y;
                const int dy = rotation == 90 ? x : rotation == 180 ? h - 1 - y : w - 1 - x;
                out->data[p][static_cast<std::ptrdiff_t>(dy) * out->linesize[p] + dx] = src[x];
            }
        }
    }
    return out;
}

PacketPtr encode(const AVFrame& picture) {
    const AVCodec* encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    CodecPtr codec(encoder ? avcodec_alloc_context3(encoder) : nullptr);
    if (!codec) throw clipdex::Error(CDX_E_INTERNAL, "the mjpeg encoder is not available");
    codec->width = picture.width;
    codec->height = picture.height;
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->color_range = AVCOL_RANGE_JPEG;  // required for yuv420p input to the mjpeg encoder
    codec->colorspace = AVCOL_SPC_BT470BG;
    codec->sample_aspect_ratio = AVRational{1, 1};
    codec->time_base = AVRational{1, 25};
    codec->flags |= AV_CODEC_FLAG_QSCALE;
    codec->global_quality = FF_QP2LAMBDA * kQuality;
    int ret = avcodec_open2(codec.get(), encoder, nullptr);
    if (ret < 0) throw clipdex::Error(CDX_E_INTERNAL, "cannot open the mjpeg encoder: " + avError(ret));
    FramePtr frame(av_frame_clone(&picture));
    PacketPtr packet(av_packet_alloc());
    if (!frame || !packet) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (encoder)");
    frame->pts = 0;
    frame->quality = codec->global_quality;
    if ((ret = avcodec_send_frame(codec.get(), frame.get())) < 0 ||
        (ret = avcodec_send_frame(codec.get(), nullptr)) < 0 ||
        (ret = avcodec_receive_packet(codec.get(), packet.get())) < 0)
        throw clipdex::Error(CDX_E_INTERNAL, "mjpeg encoding failed: " + avError(ret));
    return packet;
}

void writeAtomically(const std::filesystem::path& out, const uint8_t* data, size_t size) {
    // Unique per writer: two files with the same checksum may be processed at the same time.
    static std::atomic<unsigned> counter{0};
    std::filesystem::path tmp = out;
    tmp += "." + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + ".tmp";
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        file.close();
        if (!file) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            throw clipdex::Error(CDX_E_IO, "cannot write '" + tmp.string() + "'");
        }
    }
    std::error_code error;
    std::filesystem::rename(tmp, out, error);
    if (error) {
        std::filesystem::remove(tmp, error);
        throw clipdex::Error(CDX_E_IO, "cannot rename '" + tmp.string() + "' to '" + out.string() + "'");
    }
}

}  // namespace

JpegInfo thumbnailSize(const AVFrame& frame, int width, int rotation) {
    AVRational sar = frame.sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0) sar = AVRational{1, 1};
    double display_width = static_cast<double>(frame.width) * av_q2d(sar);
    double display_height = frame.height;
    if (rotation == 90 || rotation == 270) std::swap(display_width, display_height);
    const double height = display_width > 0 ? width * display_height / display_width : width;
    JpegInfo info;
    info.width = width;
    info.height = std::max(2, static_cast<int>(std::lround(height / 2.0)) * 2);
    return info;
}

JpegInfo writeJpeg(const AVFrame& frame, int width, const std::filesystem::path& out, int rotation) {
    JpegInfo info = thumbnailSize(frame, width, rotation);
    const bool quarter = rotation == 90 || rotation == 270;
    FramePtr picture = scale(frame, quarter ? info.height : info.width, quarter ? info.width : info.height);
    if (rotation == 90 || rotation == 180 || rotation == 270) picture = rotate(*picture, rotation);
    const PacketPtr packet = encode(*picture);
    writeAtomically(out, packet->data, static_cast<size_t>(packet->size));
    info.bytes = static_cast<std::uintmax_t>(packet->size);
    return info;
}

}  // namespace thumbs
