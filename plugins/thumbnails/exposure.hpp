// Luma histograms and the original tool's exposure formulas (inventory §2.5).
#pragma once

#include <array>
#include <filesystem>

#include "ffmpeg_util.hpp"

namespace thumbs {

/// 256 bins of full-range (0..255) luma, normalised to sum to 1.
using Histogram = std::array<double, 256>;

/// Histogram of a decoded frame of any pixel format. Limited-range video is expanded to full range, so
/// video black is bin 0 as in a JPEG. `max_width` > 0 downsamples first (cheap blank-frame checks).
Histogram lumaHistogram(const AVFrame& frame, int max_width = 0);

/// Decodes a JPEG file with libavcodec's mjpeg decoder and returns its luma histogram.
/// Throws clipdex::Error(CDX_E_INVALID_ARGUMENT) naming the file when it is not a decodable JPEG.
Histogram jpegHistogram(const std::filesystem::path& file);

struct LumaStats {
    double mean = 0;
    double stddev = 0;
};
LumaStats lumaStats(const Histogram& hist);

struct Exposure {
    double over = 0;   // fraction of pixels in bins 240..255
    double under = 0;  // fraction of pixels in bins 0..15
    bool warning = false;
    double stops = 0;
};

/// over = Σhist[240..255], under = Σhist[0..15]; warning = over > 0.05 or under > 0.05;
/// stops = log2(over*20) if over > under and over > 0.05, else -log2(under*20) if under > 0.05, else 0.
Exposure assessExposure(const Histogram& hist);

}  // namespace thumbs
