// Seek + decode with libavformat/libavcodec. Positions are reached by seeking backward to a keyframe and
// decoding forward; a keyframe close enough to the target (tolerance) is taken as is, which is the fast
// path, and long GOPs still give distinct, evenly spaced frames.
#include "frame_grabber.hpp"

#include "exposure.hpp"

extern "C" {
#include <libavutil/display.h>
}

#include <algorithm>
#include <clipdex/plugin.hpp>
#include <cmath>
#include <utility>

namespace thumbs {
namespace {

constexpr int kMaxPacketsWithoutFrame = 2000;  // corrupt/truncated input: give up instead of spinning
constexpr double kLateSeconds = 0.05;          // a seek landing later than this after the target is retried
constexpr double kMaxBackSeconds = 64;         // ... from up to this far before the target

clipdex::Error invalid(const std::string& path, const std::string& why) {
    return clipdex::Error(CDX_E_INVALID_ARGUMENT, "cannot make thumbnails of '" + path + "': " + why,
                          clipdex::json{{"path", path}});
}

// Same rule as fftools' get_rotation: theta = -angle of the display matrix, normalised, snapped to 90°.
int displayRotation(const AVStream& stream) {
    const auto* matrix =
        reinterpret_cast<const int32_t*>(av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr));
    if (matrix == nullptr) return 0;
    const double angle = av_display_rotation_get(matrix);
    if (std::isnan(angle)) return 0;
    const long theta = std::lround(-angle / 90.0) * 90;
    return static_cast<int>(((theta % 360) + 360) % 360);
}

}  // namespace

FrameGrabber::FrameGrabber(const std::string& path, std::function<void()> poll)
    : path_(path), poll_(std::move(poll)), packet_(av_packet_alloc()) {
    int ret = avformat_open_input(&format_, path.c_str(), nullptr, nullptr);
    if (ret < 0) throw invalid(path, avError(ret));
    try {
        if ((ret = avformat_find_stream_info(format_, nullptr)) < 0) throw invalid(path, avError(ret));
        int best_area = -1;
        for (unsigned i = 0; i < format_->nb_streams; ++i) {
            AVStream* st = format_->streams[i];
            if (st->codecpar->codec_type != AVMEDIA_TYPE_VIDEO || (st->disposition & AV_DISPOSITION_ATTACHED_PIC))
                continue;
            const int area = st->codecpar->width * st->codecpar->height;
            if (area > best_area) {
                best_area = area;
                stream_ = st;
            }
        }
        if (stream_ == nullptr) throw invalid(path, "no video stream");
        const AVCodec* decoder = avcodec_find_decoder(stream_->codecpar->codec_id);
        if (decoder == nullptr)
            throw invalid(path, std::string("no decoder for ") + avcodec_get_name(stream_->codecpar->codec_id));
        codec_.reset(avcodec_alloc_context3(decoder));
        if (!codec_ || !packet_) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (libavcodec)");
        if ((ret = avcodec_parameters_to_context(codec_.get(), stream_->codecpar)) < 0 ||
            (ret = avcodec_open2(codec_.get(), decoder, nullptr)) < 0)
            throw invalid(path, "cannot open the decoder: " + avError(ret));
        rotation_ = displayRotation(*stream_);
        if (stream_->start_time != AV_NOPTS_VALUE) start_ = stream_->start_time * av_q2d(stream_->time_base);
        if (format_->duration > 0)
            duration_ = static_cast<double>(format_->duration) / AV_TIME_BASE;
        else if (stream_->duration > 0)
            duration_ = stream_->duration * av_q2d(stream_->time_base);
    } catch (...) {
        avformat_close_input(&format_);
        throw;
    }
}

FrameGrabber::~FrameGrabber() {
    avformat_close_input(&format_);
}

double FrameGrabber::seconds(const AVFrame& frame) const {
    const int64_t pts = frame.best_effort_timestamp != AV_NOPTS_VALUE ? frame.best_effort_timestamp : frame.pts;
    if (pts == AV_NOPTS_VALUE) return -1;
    return pts * av_q2d(stream_->time_base) - start_;
}

FramePtr FrameGrabber::nextFrame() {
    FramePtr frame(av_frame_alloc());
    if (!frame) throw clipdex::Error(CDX_E_INTERNAL, "out of memory (frame)");
    for (int packets = 0; packets < kMaxPacketsWithoutFrame; ++packets) {
        int ret = avcodec_receive_frame(codec_.get(), frame.get());
        if (ret == 0) {
            if (frame->sample_aspect_ratio.num == 0)
                frame->sample_aspect_ratio = av_guess_sample_aspect_ratio(format_, stream_, frame.get());
            return frame;
        }
        if (ret == AVERROR_EOF || flushed_) return nullptr;  // after the drain anything but a frame is the end
        if (packets % 16 == 0 && poll_) poll_();
        ret = av_read_frame(format_, packet_.get());
        if (ret < 0) {  // end of file (or a read error): drain the decoder
            flushed_ = true;
            avcodec_send_packet(codec_.get(), nullptr);
            continue;
        }
        if (packet_->stream_index == stream_->index)
            avcodec_send_packet(codec_.get(), packet_.get());  // bad packets are skipped
        av_packet_unref(packet_.get());
    }
    return nullptr;
}

FramePtr FrameGrabber::decodeUntil(double target, FramePtr fallback) {
    FramePtr frame = std::move(fallback);
    while (!frame || seconds(*frame) < target) {
        FramePtr next = nextFrame();
        if (!next) break;  // end of stream: keep the last frame we have
        frame = std::move(next);
    }
    return frame;
}

FramePtr FrameGrabber::seekAndDecode(double target, double tolerance) {
    // Some demuxers (MPEG-TS, by byte position) can land after the target: then seek again further back.
    double back = 0;
    for (;;) {
        const double from = std::max(0.0, target - back);
        const int64_t ts = static_cast<int64_t>(std::floor((from + start_) / av_q2d(stream_->time_base)));
        // From the start, rewind by bytes where the format allows it: MPEG-TS timestamp seeks to the very
        // start land after the first keyframe.
        const bool rewound = from <= 0 && !(format_->iformat->flags & AVFMT_NO_BYTE_SEEK) &&
                             av_seek_frame(format_, -1, 0, AVSEEK_FLAG_BYTE) >= 0;
        if (!rewound && av_seek_frame(format_, stream_->index, ts, AVSEEK_FLAG_BACKWARD) < 0)
            av_seek_frame(format_, stream_->index, ts, AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
        avcodec_flush_buffers(codec_.get());
        flushed_ = false;
        FramePtr first = nextFrame();
        if (!first || seconds(*first) <= target + kLateSeconds || from <= 0 || back >= kMaxBackSeconds)
            return decodeUntil(target - tolerance, std::move(first));
        back = back == 0 ? 1.0 : back * 2;
    }
}

GrabbedFrame FrameGrabber::grab(double target, const GrabOptions& options) {
    GrabbedFrame result;
    result.frame = seekAndDecode(target, options.tolerance_seconds);
    if (!result.frame) throw invalid(path_, "no frame could be decoded near " + std::to_string(target) + " s");
    result.timestamp_seconds = std::max(0.0, seconds(*result.frame));
    if (!isBlankFrame(*result.frame)) return result;

    FramePtr candidate(av_frame_clone(result.frame.get()));
    double candidate_time = result.timestamp_seconds;
    for (int attempt = 1; attempt <= options.blank_tries && candidate; ++attempt) {
        const double later = candidate_time + options.blank_step_seconds;
        if (duration_ > 0 && later >= duration_) break;
        candidate = decodeUntil(later, std::move(candidate));
        if (!candidate || seconds(*candidate) < later) break;  // the stream ended
        candidate_time = seconds(*candidate);
        if (!isBlankFrame(*candidate)) {
            result.frame = std::move(candidate);
            result.timestamp_seconds = candidate_time;
            result.blank_frames_skipped = attempt;
            break;
        }
    }
    return result;
}

bool isBlankFrame(const AVFrame& frame) {
    const LumaStats stats = lumaStats(lumaHistogram(frame, 160));
    return stats.mean < 16.0 || stats.stddev < 3.0;
}

}  // namespace thumbs
