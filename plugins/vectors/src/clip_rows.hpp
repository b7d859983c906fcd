// Catalog reads shared by the step and the backends: a clip's facts for embedding, result rows for hits,
// and the filters applied to vector candidates.
#pragma once

#include <clipdex/plugin.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "embedding_text.hpp"

namespace vectors {

/// The clip row (JSON columns parsed), transcript and analysis; nullopt when no such clip.
std::optional<ClipFacts> loadFacts(const clipdex::Context& ctx, const std::string& clip_id);

/// Paths of the clip's thumbnails that exist (clips.thumbnails holds paths or {path, ...} objects).
std::vector<std::string> thumbnailPaths(const json& clip);

/// The result fields of each clip (inventory §4.4 plus width, height, codec), by id; deleted clips are absent.
std::unordered_map<std::string, json> resultRows(const clipdex::Context& ctx, const std::vector<std::string>& ids);

struct Filters {
    std::optional<std::unordered_set<std::string>> allowed;  ///< nullopt: no filter
    json applied = json::object();                           ///< the non-null filters given
};

/// The clips passing `filters` (the full-text backend's whole set, plugins/common/clip_filters.hpp) that the
/// caller may see, with one parameterised query; INVALID_ARGUMENT naming the field for a bad filter.
Filters applyFilters(const clipdex::Context& ctx, const json& filters);

/// The SQL condition (on `user_id` of clips) limiting a query to the caller's visible clips, binding its value
/// in `params`: every catalog read of clips in this plugin goes through it (plugins/common/ownership.hpp).
std::string visibleClips(const clipdex::Context& ctx, json& params);

/// A full clip id from an id or a unique prefix of at least 8 characters among the caller's visible clips;
/// throws NOT_FOUND (CLIP_NOT_FOUND) / INVALID_ARGUMENT.
std::string resolveClipId(const clipdex::Context& ctx, const std::string& id_or_prefix);

}  // namespace vectors
