// `search stats`: catalog totals with the original CLI's keys and the Premiere panel's.
#include <cmath>

#include "commands.hpp"
#include "filters.hpp"

namespace search {
namespace {

double round2(double value) {
    return std::round(value * 100.0) / 100.0;
}

json number(const json& value) {
    return value.is_number() ? value : json(0);
}

/// {"key": count} from rows {"k", "n"}; a null key reads as "unknown".
json breakdown(const json& rows) {
    json out = json::object();
    for (const json& row : rows) {
        const std::string key = row["k"].is_string() ? row["k"].get<std::string>()
                                : row["k"].is_null() ? std::string("unknown")
                                                     : row["k"].dump();
        out[key] = row["n"];
    }
    return out;
}

}  // namespace

json searchStats(const clipdex::Host& host, const json& /*args*/, clipdex::Context& ctx) {
    const auto catalog = host.catalog();
    // Everything counts only the clips the caller may see.
    Where visible;
    restrictToCaller(visible, ctx);
    const std::string from = " FROM clips c WHERE " + visible.sql;
    const json totals =
        catalog
            .query(ctx,
                   "SELECT COUNT(*) AS clips, TOTAL(c.duration_seconds) AS seconds, TOTAL(c.file_size_bytes) AS bytes, "
                   "COALESCE(SUM(EXISTS (SELECT 1 FROM transcripts t WHERE t.clip_id = c.id) "
                   " OR COALESCE(c.full_transcript, '') <> ''), 0) AS transcripts, "
                   "COALESCE(SUM(EXISTS (SELECT 1 FROM analysis a WHERE a.clip_id = c.id) "
                   " OR c.content_summary IS NOT NULL), 0) AS analysed, "
                   "COALESCE(SUM(EXISTS (SELECT 1 FROM clip_embeddings e WHERE e.clip_id = c.id)), 0) AS embedded" +
                       from,
                   visible.params)
            .at(0);
    const json by_codec = breakdown(catalog.query(
        ctx, "SELECT c.codec AS k, COUNT(*) AS n" + from + " GROUP BY c.codec ORDER BY n DESC, k", visible.params));
    const json by_resolution = breakdown(catalog.query(
        ctx,
        "SELECT CASE WHEN c.width IS NULL OR c.height IS NULL THEN NULL ELSE CAST(c.width AS INTEGER) || 'x' || "
        "CAST(c.height AS INTEGER) END AS k, COUNT(*) AS n" +
            from + " GROUP BY k ORDER BY n DESC, k",
        visible.params));
    const json by_category = breakdown(catalog.query(
        ctx, "SELECT c.content_category AS k, COUNT(*) AS n" + from + " GROUP BY c.content_category ORDER BY n DESC, k",
        visible.params));

    const double seconds = number(totals["seconds"]).get<double>();
    const double bytes = number(totals["bytes"]).get<double>();
    const auto whole_bytes = static_cast<std::int64_t>(std::llround(bytes));
    json stats = {
        {"total_clips", totals["clips"]},
        {"total_duration_seconds", round2(seconds)},
        {"total_duration_hours", round2(seconds / 3600.0)},
        {"total_storage_bytes", whole_bytes},
        {"total_storage_gb", round2(bytes / 1e9)},
        {"clips_with_transcripts", totals["transcripts"]},
        {"clips_with_ai_analysis", totals["analysed"]},
        {"clips_with_embeddings", totals["embedded"]},
        {"by_codec", by_codec},
        {"by_resolution", by_resolution},
        {"by_category", by_category},
        // The Premiere panel's names (inventory §7.1 #13).
        {"total_videos", totals["clips"]},
        {"total_file_size_bytes", whole_bytes},
        {"videos_by_category", by_category},
    };
    // A key/value table for people: the scalar stats, title-cased like the original CLI.
    json rows = json::array();
    for (const char* key : {"total_clips", "total_duration_hours", "total_storage_gb", "clips_with_transcripts",
                            "clips_with_ai_analysis", "clips_with_embeddings"}) {
        std::string title = key;
        bool start = true;
        for (char& c : title) {
            if (c == '_') {
                c = ' ';
                start = true;
            } else if (start) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                start = false;
            }
        }
        rows.push_back({{"statistic", title}, {"value", stats[key]}});
    }
    // The stats are also at the top level: the panel's GET /api/stats reads them there (manifest http.lift).
    json result = stats;
    result["success"] = true;
    result["stats"] = std::move(stats);
    result["overview"] = std::move(rows);
    return result;
}

}  // namespace search
