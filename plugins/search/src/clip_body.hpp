// The clip body both Premiere panel generations read (inventory §7.1 VideoFile, §7.5, §7.6): the catalog row
// plus the fields the original server derived (thumbnail URLs, codec/colour details, audio bit rates), and the
// superset list shape (`results` + `data.data` + `pagination`).
#pragma once

#include "common.hpp"
#include "filters.hpp"

namespace search {

/// A parsed clips row with the panel's fields added (existing keys are kept): `thumbnail_url`,
/// `all_thumbnail_urls[] {url, filename, is_ai_selected, rank, timestamp, description, reason}` pointing at
/// /api/clips/{id}/thumbnails/{n}, `camera_details` and `technical_metadata` as objects (with `codec_details`
/// and `color_details` from the first video stream), `audio_tracks[]` with `bit_rate_kbps`, `content_tags[]`.
json panelClip(json row);

/// Search hits with every clip field of their rows (panelClip), the hit's own keys winning. One catalog query;
/// hits whose clip is not visible or gone are kept as they are.
json withClipFields(const clipdex::Catalog& catalog, const clipdex::Context& ctx, json hits);

/// A page of rows in both panel generations' names: {"success": true, "results", "data" (the same rows),
/// "total", "pagination": {"limit", "offset", "total"}}; callers add their own keys.
json pageOf(json rows, const json& total, std::int64_t limit, std::int64_t offset);

}  // namespace search
