// Luma histograms (direct from 8-bit full-range planes, otherwise through swscale to GRAY8) and the
// exposure numbers of the original tool.
#include "exposure.hpp"

#include <clipdex/plugin.hpp>

extern "C" {
#include <libavutil/opt.h>
}

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <vector>

namespace thumbs {
namespace {

bool lumaPlaneIsFull8Bit(const AVFrame& frame) {
    switch (frame.format) {
        case AV_PIX_FMT_GRAY8:
        case AV_PIX_FMT_YUV420P:
        case AV_PIX_FMT_YUV422P:
        case AV_PIX_FMT_YUV444P:
        case AV_PIX_FMT_YUV440P:
        case AV_PIX_FMT_YUVJ420P:
        case AV_PIX_FMT_YUVJ422P:
        case AV_PIX_FMT_YUVJ444P:
        case AV_PIX_FMT_YUVJ440P: return isFullRange(frame);
        default: return false;
    }
}

Histogram countPlane(const uint8_t* data, int linesize, int width, int height) {
    std::array<uint64_t, 256> counts{};
    for (int y = 0; y < height; ++y) {
        const uint8_t* row = data + static_cast<std::ptrdiff_t>(y) * linesize;
        for (int x = 0; x < width; ++x) ++counts[row[x]];
    }
    Histogram hist{};
    const double total = static_cast<double>(width) * height;
    if (total <= 0) return hist;
    for (size_t i = 0; i < counts.size(); ++i) hist[i] = static_cast<double>(counts[i]) / total;
    return hist;
}

}  // namespace

Histogram lumaHistogram(const AVFrame& frame, int max_width) {
    const bool scale = max_width > 0 && frame.width > max_width;
    if (!scale && lumaPlaneIsFull8Bit(frame))
        return countPlane(frame.data[0], frame.linesize[0], frame.width, frame.height);

    const int width = scale ? max_width : frame.width;
    const int height =
        std::max(1, static_cast<int>(std::lround(static_cast<double>(frame.height) * width / frame.width)));
    const SwsPtr sws = fullRangeScaler(frame, width, height, AV_PIX_FMT_GRAY8, SWS_AREA);
    if (!sws) throw clipdex::Error(CDX_E_INTERNAL, "swscale cannot convert this pixel format to gray");
    std::vector<uint8_t> gray(static_cast<size_t>(width) * height);
    uint8_t* dst[4] = {gray.data(), nullptr, nullptr, nullptr};
    int dst_linesize[4] = {width, 0, 0, 0};
    sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, dst, dst_linesize);
    return countPlane(gray.data(), width, width, height);
}

Histogram jpegHistogram(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "cannot read thumbnail '" + file.string() + "'");
    const AVCodec* decoder = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
    CodecPtr codec(decoder ? avcodec_alloc_context3(decoder) : nullptr);
    if (!codec || avcodec_open2(codec.get(), decoder, nullptr) < 0)
        throw clipdex::Error(CDX_E_INTERNAL, "the mjpeg decoder is not available");
    PacketPtr packet(av_packet_alloc());
    FramePtr frame(av_frame_alloc());
    if (!packet || !frame || bytes.empty() || av_new_packet(packet.get(), static_cast<int>(bytes.size())) < 0)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "thumbnail '" + file.string() + "' is empty or unreadable");
    std::copy(bytes.begin(), bytes.end(), reinterpret_cast<char*>(packet->data));
    int ret = avcodec_send_packet(codec.get(), packet.get());
    if (ret >= 0) ret = avcodec_send_packet(codec.get(), nullptr);
    if (ret >= 0) ret = avcodec_receive_frame(codec.get(), frame.get());
    if (ret < 0)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT,
                             "thumbnail '" + file.string() + "' is not a decodable JPEG: " + avError(ret));
    return lumaHistogram(*frame);
}

LumaStats lumaStats(const Histogram& hist) {
    LumaStats stats;
    for (size_t i = 0; i < hist.size(); ++i) stats.mean += static_cast<double>(i) * hist[i];
    double variance = 0;
    for (size_t i = 0; i < hist.size(); ++i) {
        const double d = static_cast<double>(i) - stats.mean;
        variance += d * d * hist[i];
    }
    stats.stddev = std::sqrt(variance);
    return stats;
}

Exposure assessExposure(const Histogram& hist) {
    Exposure result;
    for (size_t i = 240; i < 256; ++i) result.over += hist[i];
    for (size_t i = 0; i < 16; ++i) result.under += hist[i];
    result.warning = result.over > 0.05 || result.under > 0.05;
    if (result.over > result.under && result.over > 0.05)
        result.stops = std::log2(result.over * 20);
    else if (result.under > 0.05)
        result.stops = -std::log2(result.under * 20);
    return result;
}

}  // namespace thumbs
