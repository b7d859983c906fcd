#include "fulltext_backend.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "filters.hpp"
#include "fts_query.hpp"
#include "fts_ranking.hpp"

namespace search {
namespace {

using clipdex::Error;

constexpr std::array<const char*, 5> kColumns = {"file_name", "transcript", "summary", "tags", "technical"};
constexpr std::array<double, 5> kDefaultWeights = {4.0, 2.0, 3.0, 3.0, 1.0};

/// The plugin setting at `key`; null when it is absent or the host's answer cannot be read (defaults apply).
json setting(const clipdex::Host& host, const char* key) {
    try {
        return host.config(key);
    } catch (const std::exception&) {
        return json();
    }
}

/// bm25 column weights: plugin config fulltext.weights as {"file_name": 4, ...} or [4, 2, 3, 3, 1].
std::array<double, 5> columnWeights(const clipdex::Host& host, const clipdex::Context& ctx) {
    std::array<double, 5> weights = kDefaultWeights;
    const json configured = setting(host, "fulltext.weights");
    auto set = [&](std::size_t i, const json& value) {
        if (value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() >= 0)
            weights[i] = value.get<double>();
        else
            ctx.warn(std::string("ignoring fulltext.weights.") + kColumns[i] + ": not a number >= 0");
    };
    if (configured.is_object()) {
        for (std::size_t i = 0; i < kColumns.size(); ++i)
            if (configured.contains(kColumns[i])) set(i, configured[kColumns[i]]);
    } else if (configured.is_array() && configured.size() == kColumns.size()) {
        for (std::size_t i = 0; i < kColumns.size(); ++i) set(i, configured[i]);
    } else if (!configured.is_null()) {
        ctx.warn("ignoring fulltext.weights: give an object {file_name, transcript, summary, tags, technical}");
    }
    return weights;
}

// Below this many clips one query ranks in a few milliseconds; a thread per partition would cost more than
// it saves.
constexpr std::int64_t kPartitionMinClips = 20000;

/// A whole-number plugin setting >= 0, or `fallback` (with a warning when it is set but not usable).
std::int64_t configuredInt(const clipdex::Host& host, const clipdex::Context& ctx, const char* key,
                           std::int64_t fallback) {
    const json value = setting(host, key);
    if (value.is_null()) return fallback;
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) return value.get<std::int64_t>();
    ctx.warn(std::string("ignoring ") + key + ": not a whole number >= 0");
    return fallback;
}

/// fulltext.partitions: how many rowid partitions rank one query concurrently. Default: one per core, at most
/// 4, the host's catalog connection pool (SqlCatalog::kPoolSize), so a search never waits for a connection
/// only because of itself.
unsigned partitionCount(const clipdex::Host& host, const clipdex::Context& ctx) {
    const auto cores = static_cast<std::int64_t>(std::max(1U, std::thread::hardware_concurrency()));
    const std::int64_t wanted = configuredInt(host, ctx, "fulltext.partitions", std::min<std::int64_t>(cores, 4));
    return static_cast<unsigned>(std::clamp<std::int64_t>(wanted, 1, 4));
}

/// The best matching transcript segment of each clip in `ids`, by clip id: the one holding most of the query's
/// words, then most occurrences of them, then the earliest. Not bm25: its document frequencies cost a walk of
/// every match in the whole table, per FTS5 scan, which is what this lookup avoids.
/// FTS5 is scanned once per clip, over the rowid span of its segments (the primary key index gives the span,
/// and a transcript's segments are stored together), so the cost follows the page, not how common the words
/// are. Selecting by the UNINDEXED clip_id instead made FTS5 read its content row for every match in the
/// table: 50-100 ms for a common word at 100k clips. Excluded words need no test here: a clip on the page has
/// none of them, so neither have its segments.
std::map<std::string, json> matchedSegments(const clipdex::Catalog& catalog, const clipdex::Context& ctx,
                                            const std::vector<std::string>& ids, const FtsQuery& fts) {
    static const char* kSql =
        "SELECT segments_fts.clip_id AS clip_id, segments_fts.segment_index AS segment_index, "
        "segments_fts.start_seconds AS start_seconds, segments_fts.end_seconds AS end_seconds, "
        "segments_fts.text AS text, snippet(segments_fts, 0, '[', ']', '…', 16) AS snippet "
        "FROM (SELECT clip_id, MIN(rowid) AS lo, MAX(rowid) AS hi FROM transcript_segments "
        "      WHERE clip_id IN (SELECT value FROM json_each(:ids)) GROUP BY clip_id) AS span "
        "CROSS JOIN segments_fts "
        "WHERE segments_fts MATCH :match AND segments_fts.rowid BETWEEN span.lo AND span.hi "
        "AND segments_fts.clip_id = span.clip_id "
        "ORDER BY span.clip_id, clipdex_matched_phrases(segments_fts) DESC, "
        "clipdex_phrase_instances(segments_fts) DESC, CAST(segments_fts.segment_index AS INTEGER)";
    std::map<std::string, json> best;
    if (ids.empty()) return best;
    for (json segment : catalog.query(ctx, kSql, {{"match", fts.match_any}, {"ids", json(ids).dump()}})) {
        const std::string clip = segment.value("clip_id", "");
        if (best.count(clip) != 0) continue;  // each clip's rows come best first
        const double start = segment["start_seconds"].is_number() ? segment["start_seconds"].get<double>() : 0.0;
        const double end = segment["end_seconds"].is_number() ? segment["end_seconds"].get<double>() : start;
        segment["index"] = segment["segment_index"];
        for (const char* key : {"segment_index", "clip_id"}) segment.erase(key);
        segment["timecode"] = timecode(start);
        segment["end_timecode"] = timecode(end);
        best[clip] = std::move(segment);
    }
    return best;
}

}  // namespace

json fulltextSearch(const clipdex::Host& host, const json& query, clipdex::Context& ctx) {
    const std::int64_t started = steadyNanos();
    if (!query.is_object()) throw Error(CDX_E_INVALID_ARGUMENT, "the search query must be a JSON object");
    const json& q = query.contains("q") ? query["q"] : json();
    if (!q.is_string() || q.get_ref<const std::string&>().empty())
        throw Error(CDX_E_INVALID_ARGUMENT, "the search text 'q' is required", {{"field", "q"}});
    const FtsQuery fts = buildFtsQuery(q.get<std::string>());
    const std::int64_t limit = intArg(query, "limit", 10, 1, 1000);
    const std::int64_t offset = intArg(query, "offset", 0, 0, 1000000);
    const std::string scope =
        query.contains("scope") && !query["scope"].is_null() ? stringArg(query, "scope") : "clips";
    if (scope != "clips" && scope != "transcripts")
        throw Error(CDX_E_INVALID_ARGUMENT, "'scope' must be clips or transcripts (got \"" + scope + "\")",
                    {{"field", "scope"}});
    Where where = buildWhere(query.contains("filters") ? query["filters"] : json());
    restrictToCaller(where, ctx);  // a non-admin caller's matches are narrowed to its own clips below
    const bool transcripts = scope == "transcripts";
    // "fields": "rank" asks for ids and scores only (hybrid search fuses ranks and shows its own page), which
    // spares the snippets and the segment lookups.
    const std::string fields =
        query.contains("fields") && !query["fields"].is_null() ? stringArg(query, "fields") : "all";
    if (fields != "all" && fields != "rank")
        throw Error(CDX_E_INVALID_ARGUMENT, "'fields' must be all or rank (got \"" + fields + "\")",
                    {{"field", "fields"}});
    const bool rank_only = fields == "rank";
    ctx.debug("fulltext match: " + fts.match);

    // Filters and the transcript scope join the clip row of each match. CROSS JOIN keeps FTS5 the outer loop:
    // given `clips_fts.rowid IN (SELECT … FROM clips …)` or a free join order, SQLite used the rowids as lookups,
    // and FTS5 re-runs the whole MATCH (and bm25's document-frequency walks) for each one: 18 s for a codec
    // filter at 100k clips, against 5 ms walking the matches and looking up their clips.
    json params = where.params;
    params["match"] = transcripts ? "{transcript} : (" + fts.match + ")" : fts.match;
    const bool filtered = where.sql != Where().sql;
    std::string joins;
    if (filtered || transcripts) joins += " CROSS JOIN clips c ON c.rowid = clips_fts.rowid";
    if (transcripts) joins += " CROSS JOIN transcripts t ON t.clip_id = c.id";
    RankPlan plan;
    plan.from = " FROM clips_fts" + joins + " WHERE clips_fts MATCH :match" + (filtered ? " AND " + where.sql : "");
    plan.params = params;
    plan.weights = columnWeights(host, ctx);
    plan.limit = limit;
    plan.offset = offset;
    plan.partitions = partitionCount(host, ctx);
    plan.partition_min_rows = configuredInt(host, ctx, "fulltext.partition_min_clips", kPartitionMinClips);
    const auto catalog = host.catalog();
    // Phase 1: the page's rowids and scores only (exact bm25 order; fts_ranking.hpp). Snippets, clip columns
    // and segments are computed for the page alone.
    const RankedPage page = rankExact(host, ctx, plan);
    json rowids = json::array();
    for (const RankedRow& row : page.rows) rowids.push_back(row.rowid);

    // Phase 2: the page's columns and snippets, in phase 1's order. With the rowids as an IN list FTS5 runs the
    // MATCH once per rowid, which costs a seek per term (snippet needs no document frequencies).
    const std::string columns =
        transcripts ? "c.id AS clip_id, c.id, c.file_name, c.local_path, c.content_summary, t.full_text, "
                      "COALESCE(c.transcript_preview, substr(t.full_text, 1, 500)) AS transcript_preview, "
                      "c.duration_seconds, c.processed_at, "
                      "snippet(clips_fts, 1, '[', ']', '…', 16) AS snippet"
                    : "c.id, c.file_name, c.local_path, c.content_summary, c.content_tags, c.duration_seconds, "
                      "c.camera_make, c.camera_model, c.content_category, c.processed_at, c.width, c.height, c.codec, "
                      "snippet(clips_fts, -1, '[', ']', '…', 16) AS snippet";
    std::map<std::int64_t, json> details;
    if (rank_only && !rowids.empty()) {
        for (json row : catalog.query(ctx,
                                      "SELECT c.rowid AS rid, c.id FROM clips c "
                                      "WHERE c.rowid IN (SELECT value FROM json_each(:rowids))",
                                      {{"rowids", rowids.dump()}})) {
            const auto rid = row.at("rid").get<std::int64_t>();  // before the move below
            details[rid] = std::move(row);
        }
    } else if (!rowids.empty()) {
        json detail_params = {{"match", params["match"]}, {"rowids", rowids.dump()}};
        for (json row : catalog.query(ctx,
                                      "SELECT clips_fts.rowid AS rid, " + columns +
                                          " FROM clips_fts JOIN clips c ON c.rowid = clips_fts.rowid" +
                                          (transcripts ? " JOIN transcripts t ON t.clip_id = c.id" : "") +
                                          " WHERE clips_fts MATCH :match AND clips_fts.rowid IN "
                                          "(SELECT value FROM json_each(:rowids))",
                                      detail_params)) {
            const auto rid = row.at("rid").get<std::int64_t>();
            details[rid] = std::move(row);
        }
    }
    std::map<std::string, json> segments;
    if (!rank_only) {
        std::vector<std::string> ids;
        for (const auto& [rid, row] : details) ids.push_back(row.at("id").get<std::string>());
        segments = matchedSegments(catalog, ctx, ids, fts);
    }

    std::int64_t rank = offset;
    for (const RankedRow& ranked : page.rows) {
        ctx.throwIfCancelled();
        const auto found = details.find(ranked.rowid);
        if (found == details.end()) continue;  // deleted between the two queries
        json row = parseJsonColumns(found->second);
        row.erase("rid");
        if (row.contains("content_tags") && row["content_tags"].is_null()) row["content_tags"] = json::array();
        row["fts_rank"] = -ranked.bm25;
        row["score"] = row["fts_rank"];
        row["rank"] = ++rank;
        row["match_type"] = "fulltext";
        if (!rank_only) {
            const auto segment = segments.find(row.at("id").get<std::string>());
            row["matched_segment"] = segment == segments.end() ? json(nullptr) : segment->second;
        }
        ctx.emit(row);
    }
    return {{"total", page.total}, {"took_ms", elapsedMs(started)}, {"scope", scope}};
}

}  // namespace search
