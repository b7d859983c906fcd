// Decode with libavformat/libavcodec (image2/mjpeg for JPEG thumbnails, anything FFmpeg reads works),
// scale with libswscale, then three blocks, each L2-normalised and weighted:
//  (a) joint HSV histogram 8x4x4 on a 64x64 RGB copy, square-rooted (Hellinger) so big flat areas do
//      not drown everything else;
//  (b) magnitude-weighted gradient orientation histograms (Sobel on luma, 8 unsigned orientations) in a
//      2x2 grid: coarse texture and edge layout;
//  (c) dHash: 9x8 luma, one bit per horizontal neighbour comparison, as ±1/8.
#include "local_visual.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <clipdex/plugin.hpp>
#include <cmath>
#include <filesystem>
#include <memory>

#include "../common/ffmpeg_util.hpp"
#include "request.hpp"

namespace embedders {
namespace {

constexpr int kSide = 64;
constexpr double kColourWeight = 0.67;  // shares of the squared norm: about 45 % / 30 % / 25 %
constexpr double kTextureWeight = 0.55;
constexpr double kHashWeight = 0.5;

using clipdex_ffmpeg::avError;
using clipdex_ffmpeg::FramePtr;

clipdex::Error undecodable(const std::string& path, const std::string& why,
                           cdx_status status = CDX_E_INVALID_ARGUMENT) {
    return clipdex::Error(status, "cannot decode image " + path + ": " + why, clipdex::json{{"path", path}});
}

FramePtr decodeFirstFrame(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw undecodable(path, ec ? ec.message() : "no such file", CDX_E_IO);
    AVFormatContext* raw = nullptr;
    AVDictionary* options = nullptr;
    av_dict_set(&options, "pattern_type", "none", 0);  // the image2 demuxer must not expand %d or globs
    const std::string url = "file:" + path;            // never a network protocol
    int ret = avformat_open_input(&raw, url.c_str(), nullptr, &options);
    av_dict_free(&options);
    if (ret < 0) throw undecodable(path, avError(ret), ret == AVERROR(EACCES) ? CDX_E_IO : CDX_E_INVALID_ARGUMENT);
    clipdex_ffmpeg::InputPtr format(raw);
    if ((ret = avformat_find_stream_info(format.get(), nullptr)) < 0) throw undecodable(path, avError(ret));
    const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (stream < 0) throw undecodable(path, "no picture in the file");
    const AVCodecParameters* params = format->streams[stream]->codecpar;
    const AVCodec* decoder = avcodec_find_decoder(params->codec_id);
    if (decoder == nullptr)
        throw undecodable(path, std::string("no decoder for ") + avcodec_get_name(params->codec_id));
    clipdex_ffmpeg::CodecPtr codec(avcodec_alloc_context3(decoder));
    FramePtr frame(av_frame_alloc());
    clipdex_ffmpeg::PacketPtr packet(av_packet_alloc());
    if (!codec || !frame || !packet) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (libavcodec)");
    codec->thread_count = 1;
    if ((ret = avcodec_parameters_to_context(codec.get(), params)) < 0 ||
        (ret = avcodec_open2(codec.get(), decoder, nullptr)) < 0)
        throw undecodable(path, "cannot open the decoder: " + avError(ret));
    bool draining = false;
    for (int packets = 0; packets < 64;) {
        ret = avcodec_receive_frame(codec.get(), frame.get());
        if (ret == 0 && frame->width > 0 && frame->height > 0) return frame;
        if (ret != AVERROR(EAGAIN) && ret != 0) break;  // EOF or a decoding error
        if (draining) break;
        ret = av_read_frame(format.get(), packet.get());
        if (ret < 0) {
            draining = true;
            avcodec_send_packet(codec.get(), nullptr);
            continue;
        }
        if (packet->stream_index == stream) {
            ++packets;
            avcodec_send_packet(codec.get(), packet.get());
        }
        av_packet_unref(packet.get());
    }
    throw undecodable(path, "no picture could be decoded (corrupt or truncated file?)");
}

// `frame` scaled (area average) to width x height in `format`, full range, tightly packed.
std::vector<uint8_t> scaled(const AVFrame& frame, int width, int height, AVPixelFormat format, int channels,
                            const std::string& path) {
    const clipdex_ffmpeg::SwsPtr sws =
        clipdex_ffmpeg::fullRangeScaler(frame, width, height, format, SWS_AREA | SWS_ACCURATE_RND);
    if (!sws) {
        const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
        throw undecodable(path, std::string("cannot convert pixel format ") + (name != nullptr ? name : "?"));
    }
    std::vector<uint8_t> pixels(static_cast<size_t>(width * height * channels));
    uint8_t* planes[4] = {pixels.data(), nullptr, nullptr, nullptr};
    int strides[4] = {width * channels, 0, 0, 0};
    if (sws_scale(sws.get(), frame.data, frame.linesize, 0, frame.height, planes, strides) <= 0)
        throw undecodable(path, "scaling failed");
    return pixels;
}

void normaliseInto(std::vector<double> block, double weight, std::vector<double>& out) {
    l2Normalise(block);
    for (const double x : block) out.push_back(weight * x);
}

std::vector<double> colourHistogram(const std::vector<uint8_t>& rgb) {
    std::vector<double> bins(FrameDescriptor::kColourBins, 0.0);
    for (size_t i = 0; i + 2 < rgb.size(); i += 3) {
        const double r = rgb[i] / 255.0, g = rgb[i + 1] / 255.0, b = rgb[i + 2] / 255.0;
        const double max = std::max({r, g, b}), min = std::min({r, g, b}), chroma = max - min;
        double hue = 0;
        if (chroma > 0) {
            if (max == r)
                hue = std::fmod((g - b) / chroma + 6.0, 6.0);
            else if (max == g)
                hue = (b - r) / chroma + 2.0;
            else
                hue = (r - g) / chroma + 4.0;
        }
        const double saturation = max > 0 ? chroma / max : 0;
        const auto bin = [](double x, int n) { return std::min(n - 1, static_cast<int>(x * n)); };
        const int h = bin(hue / 6.0, 8), s = bin(saturation, 4), v = bin(max, 4);
        bins[static_cast<size_t>((h * 4 + s) * 4 + v)] += 1.0;
    }
    for (double& x : bins) x = std::sqrt(x);
    return bins;
}

std::vector<double> gradientHistogram(const std::vector<uint8_t>& luma) {
    std::vector<double> bins(FrameDescriptor::kTextureBins, 0.0);
    const auto at = [&](int x, int y) { return static_cast<double>(luma[static_cast<size_t>(y * kSide + x)]); };
    constexpr double kPi = 3.14159265358979323846;
    for (int y = 1; y < kSide - 1; ++y)
        for (int x = 1; x < kSide - 1; ++x) {
            const double gx = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)) -
                              (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1));
            const double gy = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)) -
                              (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1));
            const double magnitude = std::sqrt(gx * gx + gy * gy);
            if (magnitude < 8.0) continue;  // flat or noise
            double angle = std::atan2(gy, gx);
            if (angle < 0) angle += kPi;  // unsigned orientation in [0, pi)
            const int orientation = std::min(7, static_cast<int>(angle / kPi * 8));
            const int cell = (y >= kSide / 2 ? 2 : 0) + (x >= kSide / 2 ? 1 : 0);
            bins[static_cast<size_t>(cell * 8 + orientation)] += std::sqrt(magnitude);
        }
    return bins;
}

std::vector<double> dHash(const std::vector<uint8_t>& luma9x8) {
    std::vector<double> bits;
    bits.reserve(FrameDescriptor::kHashBits);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            bits.push_back(
                luma9x8[static_cast<size_t>(y * 9 + x + 1)] > luma9x8[static_cast<size_t>(y * 9 + x)] ? 1.0 : -1.0);
    return bits;
}

}  // namespace

std::string FrameDescriptor::model() {
    return "clipdex-frame-descriptor-v1-" + std::to_string(kDimension);
}

std::vector<float> FrameDescriptor::describe(const std::string& path) {
    const FramePtr frame = decodeFirstFrame(path);
    const std::vector<uint8_t> rgb = scaled(*frame, kSide, kSide, AV_PIX_FMT_RGB24, 3, path);
    const std::vector<uint8_t> luma = scaled(*frame, kSide, kSide, AV_PIX_FMT_GRAY8, 1, path);
    const std::vector<uint8_t> tiny = scaled(*frame, 9, 8, AV_PIX_FMT_GRAY8, 1, path);

    std::vector<double> descriptor;
    descriptor.reserve(kDimension);
    normaliseInto(colourHistogram(rgb), kColourWeight, descriptor);
    normaliseInto(gradientHistogram(luma), kTextureWeight, descriptor);
    normaliseInto(dHash(tiny), kHashWeight, descriptor);
    l2Normalise(descriptor);
    return std::vector<float>(descriptor.begin(), descriptor.end());
}

}  // namespace embedders
