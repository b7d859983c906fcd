#include "fulltext_backend.hpp"

#include <array>
#include <cmath>

#include "filters.hpp"
#include "fts_query.hpp"

namespace search {
namespace {

using clipdex::Error;

constexpr std::array<const char*, 5> kColumns = {"file_name", "transcript", "summary", "tags", "technical"};
constexpr std::array<double, 5> kDefaultWeights = {4.0, 2.0, 3.0, 3.0, 1.0};

/// bm25 column weights: plugin config fulltext.weights as {"file_name": 4, ...} or [4, 2, 3, 3, 1].
std::array<double, 5> columnWeights(const clipdex::Host& host, const clipdex::Context& ctx) {
    std::array<double, 5> weights = kDefaultWeights;
    json configured;
    try {
        configured = host.config("fulltext.weights");
    } catch (const std::exception&) {
        return weights;
    }
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

json weightParams(const std::array<double, 5>& weights) {
    json params = json::object();
    for (std::size_t i = 0; i < weights.size(); ++i) params["w" + std::to_string(i)] = weights[i];
    return params;
}

/// The best matching transcript segment of a clip, or null.
json matchedSegment(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id,
                    const FtsQuery& fts) {
    static const char* kSql =
        "SELECT segment_index, start_seconds, end_seconds, text, "
        "snippet(segments_fts, 0, '[', ']', '…', 16) AS snippet "
        "FROM segments_fts WHERE segments_fts MATCH :match AND clip_id = :id "
        "ORDER BY bm25(segments_fts), CAST(segment_index AS INTEGER) LIMIT 1";
    for (const std::string* match : {&fts.match, &fts.match_any}) {
        const json rows = catalog.query(ctx, kSql, {{"match", *match}, {"id", clip_id}});
        if (rows.empty()) continue;
        json segment = rows.at(0);
        const double start = segment["start_seconds"].is_number() ? segment["start_seconds"].get<double>() : 0.0;
        const double end = segment["end_seconds"].is_number() ? segment["end_seconds"].get<double>() : start;
        segment["index"] = segment["segment_index"];
        segment.erase("segment_index");
        segment["timecode"] = timecode(start);
        segment["end_timecode"] = timecode(end);
        return segment;
    }
    return nullptr;
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
    const Where where = buildWhere(query.contains("filters") ? query["filters"] : json());
    const bool transcripts = scope == "transcripts";
    ctx.debug("fulltext match: " + fts.match);

    json params = where.params;
    params.update(weightParams(columnWeights(host, ctx)));
    params["match"] = transcripts ? "{transcript} : (" + fts.match + ")" : fts.match;
    const std::string from = std::string(" FROM clips_fts JOIN clips c ON c.rowid = clips_fts.rowid") +
                             (transcripts ? " JOIN transcripts t ON t.clip_id = c.id" : "") +
                             " WHERE clips_fts MATCH :match AND " + where.sql;
    const std::string columns =
        transcripts ? "c.id AS clip_id, c.id, c.file_name, c.local_path, c.content_summary, t.full_text, "
                      "COALESCE(c.transcript_preview, substr(t.full_text, 1, 500)) AS transcript_preview, "
                      "c.duration_seconds, c.processed_at, "
                      "snippet(clips_fts, 1, '[', ']', '…', 16) AS snippet"
                    : "c.id, c.file_name, c.local_path, c.content_summary, c.content_tags, c.duration_seconds, "
                      "c.camera_make, c.camera_model, c.content_category, c.processed_at, c.width, c.height, c.codec, "
                      "snippet(clips_fts, -1, '[', ']', '…', 16) AS snippet";
    const auto catalog = host.catalog();
    json page_params = params;
    page_params["limit"] = limit;
    page_params["offset"] = offset;
    const json rows = catalog.query(ctx,
                                    "SELECT " + columns + ", -bm25(clips_fts, :w0, :w1, :w2, :w3, :w4) AS fts_rank" +
                                        from + " ORDER BY fts_rank DESC, c.id LIMIT :limit OFFSET :offset",
                                    page_params);
    json count_params = where.params;
    count_params["match"] = params["match"];
    const json total = catalog.query(ctx, "SELECT COUNT(*) AS n" + from, count_params).at(0).at("n");

    std::int64_t rank = offset;
    for (json row : rows) {
        ctx.throwIfCancelled();
        row = parseJsonColumns(std::move(row));
        if (row.contains("content_tags") && row["content_tags"].is_null()) row["content_tags"] = json::array();
        if (!row["fts_rank"].is_number()) row["fts_rank"] = 0.0;
        row["score"] = row["fts_rank"];
        row["rank"] = ++rank;
        row["match_type"] = "fulltext";
        row["matched_segment"] = matchedSegment(catalog, ctx, row.at("id").get<std::string>(), fts);
        ctx.emit(row);
    }
    return {{"total", total}, {"took_ms", elapsedMs(started)}, {"scope", scope}};
}

}  // namespace search
