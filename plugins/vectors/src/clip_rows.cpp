#include "clip_rows.hpp"

#include <cstdlib>
#include <filesystem>

#include "../../common/clip_filters.hpp"
#include "../../common/ownership.hpp"

namespace vectors {
namespace {

constexpr const char* kJsonColumns[] = {"content_tags", "technical_metadata", "camera_details",
                                        "audio_tracks", "subtitle_tracks",    "thumbnails"};

json parsed(const json& value) {
    if (!value.is_string()) return value;
    const std::string& text = value.get_ref<const std::string&>();
    json document = json::parse(text, nullptr, false);
    return document.is_discarded() ? value : document;
}

}  // namespace

std::optional<ClipFacts> loadFacts(const clipdex::Context& ctx, const std::string& clip_id) {
    const auto catalog = ctx.host().catalog();
    const json params{{"id", clip_id}};
    const json rows = catalog.query(ctx, "SELECT * FROM clips WHERE id = :id", params);
    if (rows.empty()) return std::nullopt;
    ClipFacts facts;
    facts.clip = rows[0];
    for (const char* column : kJsonColumns)
        if (facts.clip.contains(column)) facts.clip[column] = parsed(facts.clip[column]);
    const json transcript = catalog.query(ctx, "SELECT full_text FROM transcripts WHERE clip_id = :id", params);
    if (!transcript.empty() && transcript[0]["full_text"].is_string())
        facts.transcript = transcript[0]["full_text"].get<std::string>();
    else if (facts.clip.value("full_transcript", json()).is_string())
        facts.transcript = facts.clip["full_transcript"].get<std::string>();
    const json analysis = catalog.query(ctx, "SELECT analysis FROM analysis WHERE clip_id = :id", params);
    if (!analysis.empty()) facts.analysis = parsed(analysis[0]["analysis"]);
    if (!facts.analysis.is_object()) facts.analysis = nullptr;
    return facts;
}

std::vector<std::string> thumbnailPaths(const json& clip) {
    std::vector<std::string> paths;
    const json list = parsed(clip.value("thumbnails", json()));
    if (!list.is_array()) return paths;
    for (const json& item : list) {
        std::string path;
        if (item.is_string())
            path = item.get<std::string>();
        else if (item.is_object() && item.value("path", json()).is_string())
            path = item["path"].get<std::string>();
        std::error_code error;
        if (!path.empty() && std::filesystem::is_regular_file(path, error)) paths.push_back(path);
    }
    return paths;
}

std::unordered_map<std::string, json> resultRows(const clipdex::Context& ctx, const std::vector<std::string>& ids) {
    std::unordered_map<std::string, json> out;
    if (ids.empty()) return out;
    std::string sql =
        "SELECT id, file_name, local_path, content_summary, content_tags, duration_seconds, camera_make, "
        "camera_model, content_category, processed_at, width, height, codec FROM clips WHERE ";
    json params = json::object();
    sql += visibleClips(ctx, params) + " AND id IN (";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string name = "id" + std::to_string(i);
        sql += (i ? ", :" : ":") + name;
        params[name] = ids[i];
    }
    sql += ")";
    for (json& row : ctx.host().catalog().query(ctx, sql, params)) {
        json tags = parsed(row["content_tags"]);
        row["content_tags"] = tags.is_array() ? tags : json::array();
        std::string id = row["id"].get<std::string>();
        out[std::move(id)] = std::move(row);
    }
    return out;
}

Filters applyFilters(const clipdex::Context& ctx, const json& filters) {
    Filters out;
    // The full filter set of the full-text backend, from the one shared builder (INVALID_ARGUMENT naming the
    // field for an unknown filter or a bad value).
    clipdex_filters::Where where = clipdex_filters::buildWhere(filters);
    bool filtered = where.sql != clipdex_filters::Where().sql;
    if (filters.is_object())
        for (const auto& [key, value] : filters.items())
            if (!value.is_null()) out.applied[key] = value;
    // The caller's clips only: a non-admin's candidates are the allowed set (index.exact_below decides between
    // scanning that subset exactly and widening the shared HNSW search until a page of own clips is found).
    const auto visibility = clipdex_ownership::visibilityOf(ctx);
    if (visibility.scope != clipdex_ownership::Visibility::Scope::All) {
        where.sql += " AND " + clipdex_ownership::ownerCondition(visibility, "c.user_id", where.params, "f_owner");
        filtered = true;
    }
    if (!filtered) return out;
    std::unordered_set<std::string> allowed;
    for (const json& row : ctx.host().catalog().query(ctx, "SELECT c.id FROM clips c WHERE " + where.sql, where.params))
        allowed.insert(row["id"].get<std::string>());
    out.allowed = std::move(allowed);
    return out;
}

std::string resolveClipId(const clipdex::Context& ctx, const std::string& id_or_prefix) {
    if (id_or_prefix.size() < 8)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "clip_id must be a clip id or a unique prefix of 8+ characters",
                             {{"field", "clip_id"}});
    const auto catalog = ctx.host().catalog();
    json exact{{"id", id_or_prefix}};
    const std::string visible = visibleClips(ctx, exact);
    if (!catalog.query(ctx, "SELECT id FROM clips WHERE id = :id AND " + visible, exact).empty()) return id_or_prefix;
    // A prefix: a range on the primary key, never a scan.
    std::string upper = id_or_prefix;
    upper.back() = static_cast<char>(upper.back() + 1);
    json range{{"low", id_or_prefix}, {"high", upper}};
    visibleClips(ctx, range);
    const json rows = catalog.query(
        ctx, "SELECT id FROM clips WHERE id >= :low AND id < :high AND " + visible + " ORDER BY id LIMIT 2", range);
    if (rows.empty())
        throw clipdex::Error(CDX_E_NOT_FOUND, "Clip not found: " + id_or_prefix,
                             {{"field", "clip_id"}, {"code", "CLIP_NOT_FOUND"}});
    if (rows.size() > 1)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "clip id prefix '" + id_or_prefix + "' is ambiguous",
                             {{"field", "clip_id"}});
    return rows[0]["id"].get<std::string>();
}

std::string visibleClips(const clipdex::Context& ctx, json& params) {
    return clipdex_ownership::ownerCondition(clipdex_ownership::visibilityOf(ctx), "user_id", params);
}

}  // namespace vectors
