// Scales a decoded frame to a JPEG thumbnail (full-range BT.601, libavcodec mjpeg) and writes it atomically.
#pragma once

#include <cstdint>
#include <filesystem>

#include "ffmpeg_util.hpp"

namespace thumbs {

struct JpegInfo {
    int width = 0;
    int height = 0;
    std::uintmax_t bytes = 0;
};

/// Output size for `width` px wide: the height keeps the display aspect (frame size x sample aspect
/// ratio, turned by `rotation` degrees clockwise) and is rounded to an even number; pixels are square.
JpegInfo thumbnailSize(const AVFrame& frame, int width, int rotation = 0);

/// Encodes `frame` scaled to `width` (upright after `rotation` degrees clockwise: 0, 90, 180, 270) and
/// writes `<out>.<pid>-<n>.tmp`, then renames it to `out`, so a reader never sees a half-written file.
/// Throws clipdex::Error (CDX_E_IO on file errors).
JpegInfo writeJpeg(const AVFrame& frame, int width, const std::filesystem::path& out, int rotation = 0);

}  // namespace thumbs
