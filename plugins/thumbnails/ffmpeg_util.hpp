// The thumbnails plugin's names for the shared FFmpeg helpers (plugins/common/ffmpeg_util.hpp).
#pragma once

#include "../common/ffmpeg_util.hpp"

namespace thumbs {
using clipdex_ffmpeg::avError;
using clipdex_ffmpeg::CodecPtr;
using clipdex_ffmpeg::FramePtr;
using clipdex_ffmpeg::fullRangeScaler;
using clipdex_ffmpeg::isFullRange;
using clipdex_ffmpeg::PacketPtr;
using clipdex_ffmpeg::SwsPtr;
}  // namespace thumbs
