// Opens a video in-process and returns decoded frames near given positions, stepping past black/blank
// frames. One instance per file; not thread-safe.
#pragma once

#include <functional>
#include <string>

#include "ffmpeg_util.hpp"

namespace thumbs {

struct GrabbedFrame {
    FramePtr frame;                // sample_aspect_ratio is filled from the container when the codec has none
    double timestamp_seconds = 0;  // presentation time of the frame, from the start of the stream
    int blank_frames_skipped = 0;  // how many "a little later" retries it took to leave black/blank frames
};

struct GrabOptions {
    double tolerance_seconds = 0;  // accept a frame this far before the target (0: first frame >= target)
    double blank_step_seconds = 0.5;
    int blank_tries = 6;
};

class FrameGrabber {
public:
    /// Opens `path` and its best video stream. Throws clipdex::Error(CDX_E_INVALID_ARGUMENT) naming the
    /// file when it cannot be opened or has no video stream. `poll` is called often (cancellation).
    FrameGrabber(const std::string& path, std::function<void()> poll);
    ~FrameGrabber();
    FrameGrabber(const FrameGrabber&) = delete;
    FrameGrabber& operator=(const FrameGrabber&) = delete;

    /// Container or stream duration in seconds; 0 when unknown.
    double durationSeconds() const noexcept { return duration_; }
    /// Clockwise rotation (0, 90, 180 or 270) the display matrix asks for, as the ffmpeg CLI applies it.
    int rotationDegrees() const noexcept { return rotation_; }

    /// Seeks to the keyframe at or before `target` (AVSEEK_FLAG_BACKWARD) and decodes forward to the first
    /// frame at or after target - tolerance. If that frame is black or blank, keeps decoding and takes a
    /// frame blank_step later, up to blank_tries times; if all are blank the first one is kept.
    /// Throws clipdex::Error(CDX_E_INVALID_ARGUMENT) when no frame can be decoded at all.
    GrabbedFrame grab(double target_seconds, const GrabOptions& options);

private:
    FramePtr seekAndDecode(double target_seconds, double tolerance_seconds);
    FramePtr decodeUntil(double seconds, FramePtr fallback);
    FramePtr nextFrame();
    double seconds(const AVFrame& frame) const;

    std::string path_;
    std::function<void()> poll_;
    AVFormatContext* format_ = nullptr;
    CodecPtr codec_;
    PacketPtr packet_;
    AVStream* stream_ = nullptr;
    double duration_ = 0;
    double start_ = 0;
    int rotation_ = 0;
    bool flushed_ = false;
};

/// True for frames to skip: mean luma below 16 (black) or almost no luma variation (blank).
bool isBlankFrame(const AVFrame& frame);

}  // namespace thumbs
