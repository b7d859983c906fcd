#include "thumbnail_files.hpp"

#include "../common/ownership.hpp"

namespace thumbs {

using clipdex::Error;
using clipdex::json;

json thumbnailFile(const clipdex::Host& host, clipdex::Context& ctx, const std::string& clip_id, std::int64_t index) {
    // Another owner's clip answers exactly like a missing one.
    json params = {{"id", clip_id}};
    const std::string visible =
        clipdex_ownership::ownerCondition(clipdex_ownership::visibilityOf(ctx), "user_id", params);
    const json rows = host.catalog().query(ctx, "SELECT thumbnails FROM clips WHERE id = :id AND " + visible, params);
    if (rows.empty()) throw Error(CDX_E_NOT_FOUND, "Clip not found: " + clip_id, {{"code", "CLIP_NOT_FOUND"}});
    const json& stored = rows.at(0).at("thumbnails");
    json paths = stored.is_string() ? json::parse(stored.get<std::string>(), nullptr, false) : json();
    if (!paths.is_array() || paths.empty())
        throw Error(CDX_E_NOT_FOUND, "Clip " + clip_id + " has no thumbnails; re-ingest it with thumbnails enabled",
                    {{"code", "THUMBNAIL_NOT_FOUND"}});
    // Entries are the step's thumbnail objects ({"index", "path", ...}); plain path strings are accepted too.
    const auto pathOf = [&](std::size_t at) -> json {
        const json& entry = paths[at];
        if (entry.is_object() && entry.contains("path")) return entry["path"];
        return entry;
    };
    if (index < 0 || static_cast<std::size_t>(index) >= paths.size() || !pathOf(index).is_string())
        throw Error(CDX_E_NOT_FOUND,
                    "Clip " + clip_id + " has " + std::to_string(paths.size()) + " thumbnails (0 to " +
                        std::to_string(paths.size() - 1) + "); there is no thumbnail " + std::to_string(index),
                    {{"code", "THUMBNAIL_NOT_FOUND"}, {"field", "n"}});
    // Thumbnails never change under a path (they are keyed by checksum), so clients may keep them a day.
    return {
        {"path", pathOf(static_cast<std::size_t>(index))}, {"content_type", "image/jpeg"}, {"max_age_seconds", 86400}};
}

}  // namespace thumbs
