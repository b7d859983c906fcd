// The thumbnail a clip's routes serve: the n-th stored thumbnail path of a clip, as a "file" response the
// host sends with caching validators (GET /api/thumbnail/{clip_id}, GET /api/clips/{clip_id}/thumbnails/{n}).
#pragma once

#include <clipdex/plugin.hpp>

namespace thumbs {

/// {"path", "content_type", "max_age_seconds"} of thumbnail `index` of clip `clip_id`. Throws
/// clipdex::Error NOT_FOUND naming what is missing (clip, thumbnails, index).
clipdex::json thumbnailFile(const clipdex::Host& host, clipdex::Context& ctx, const std::string& clip_id,
                            std::int64_t index);

}  // namespace thumbs
