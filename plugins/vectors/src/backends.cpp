#include "backends.hpp"

#include <algorithm>
#include <unordered_map>

#include "query_support.hpp"
#include "rrf.hpp"

namespace vectors {
namespace {

using Clock = std::chrono::steady_clock;

struct Scored {
    std::string id;
    double score = 0;
    json fields;
};

void sortScored(std::vector<Scored>& list) {
    std::stable_sort(list.begin(), list.end(), [](const Scored& a, const Scored& b) {
        return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
}

/// Emits list[offset, offset+limit); returns the summary's common part.
json emitPage(clipdex::Context& ctx, VectorIndex& index, const std::vector<Scored>& list, const Paging& page) {
    std::vector<std::string> ids;
    std::vector<json> extra;
    for (std::size_t i = page.offset; i < list.size() && ids.size() < page.limit; ++i) {
        ids.push_back(list[i].id);
        extra.push_back(list[i].fields);
    }
    const std::size_t emitted = emitHits(ctx, index, ids, std::move(extra));
    return {{"total", list.size()}, {"returned", emitted}, {"limit", page.limit}, {"offset", page.offset}};
}

json filterSummary(const Filters& filters) {
    return {{"applied", filters.applied}};
}

/// A backend or provider that is not installed or not usable now: hybrid fuses what is left.
bool missing(const clipdex::Error& error) {
    return error.status() == CDX_E_UNSUPPORTED || error.status() == CDX_E_UNAVAILABLE;
}

const std::unordered_set<std::string>* allowedOf(const Filters& filters) {
    return filters.allowed ? &*filters.allowed : nullptr;
}

}  // namespace

json semanticSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index) {
    const auto start = Clock::now();
    const std::string q = queryText(query);
    const Paging page = paging(query, settings);
    const double summary_weight = number(query, "summary", number(query, "summary_weight", settings.summary_weight));
    const double keyword_weight = number(query, "keyword", number(query, "keyword_weight", settings.keyword_weight));
    const double threshold = number(query, "threshold", settings.semantic_threshold);
    const Filters filters = applyFilters(ctx, query.value("filters", json::object()));
    const QueryVectors vectors = embedQuery(ctx, q);
    const auto summary = requireSpace(ctx, index, "summary", vectors.model);
    const auto keyword = index.space(ctx, "keyword", vectors.model);
    // The original took twice the page from the summary ranking (at least 50 here), then joined keyword scores.
    const std::size_t pool = std::max<std::size_t>(2 * (page.limit + page.offset), 50);
    std::vector<Scored> list;
    for (const Neighbour& hit : summary->nearest(vectors.summary, pool, allowedOf(filters))) {
        if (hit.similarity < threshold) continue;
        const double keyword_similarity = keyword ? keyword->similarity(vectors.keyword, hit.clip_id).value_or(0) : 0;
        const double combined = hit.similarity * summary_weight + keyword_similarity * keyword_weight;
        list.push_back({hit.clip_id,
                        combined,
                        {{"summary_similarity", hit.similarity},
                         {"keyword_similarity", keyword_similarity},
                         {"combined_similarity", combined},
                         {"score", combined}}});
    }
    sortScored(list);
    json summary_out = emitPage(ctx, index, list, page);
    summary_out["took_ms"] = millisecondsSince(start);
    summary_out["model"] = vectors.model;
    summary_out["threshold"] = threshold;
    summary_out["weights"] = {{"summary", summary_weight}, {"keyword", keyword_weight}};
    summary_out["filters"] = filterSummary(filters);
    summary_out["index"] = json::array({summary->stats()});
    return summary_out;
}

json hybridSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index) {
    const auto start = Clock::now();
    const std::string q = queryText(query);
    const Paging page = paging(query, settings);
    const double k = number(query, "rrf_k", settings.rrf_k);
    if (!(k > 0)) throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "rrf_k must be positive", {{"field", "rrf_k"}});
    const double threshold = number(query, "threshold", settings.hybrid_threshold);
    const double w_ft = number(query, "fulltext", number(query, "fulltext_weight", settings.fulltext_weight));
    const double w_sum = number(query, "summary", number(query, "summary_weight", settings.hybrid_summary_weight));
    const double w_kw = number(query, "keyword", number(query, "keyword_weight", settings.hybrid_keyword_weight));
    const json filter_query = query.value("filters", json::object());
    const Filters filters = applyFilters(ctx, filter_query);  // checked before any list is asked for
    const std::size_t depth = std::min<std::size_t>(2 * (page.limit + page.offset), 100);
    json unavailable = json::object();
    std::vector<RankedList> lists;

    RankedList fulltext{"fulltext", w_ft, {}};
    try {
        const json answer = ctx.host().search(
            ctx, "fulltext", {{"q", q}, {"limit", depth}, {"filters", filter_query}, {"fields", "rank"}});
        for (const json& hit : answer.value("hits", json::array())) {
            if (!hit.value("id", json()).is_string()) continue;
            double score = 0;
            for (const char* key : {"score", "fts_rank", "rank"})
                if (hit.value(key, json()).is_number()) {
                    score = hit[key].get<double>();
                    break;
                }
            fulltext.items.emplace_back(hit["id"].get<std::string>(), score);
        }
        lists.push_back(std::move(fulltext));
    } catch (const clipdex::Error& error) {
        if (!missing(error)) throw;  // a bad query or filter is the caller's error, not a missing backend
        unavailable["fulltext"] = error.what();
        ctx.warn(std::string("hybrid search without full text: ") + error.what());
    }

    std::string model;
    json index_stats = json::array();
    try {
        const QueryVectors vectors = embedQuery(ctx, q);
        model = vectors.model;
        const auto summary = requireSpace(ctx, index, "summary", vectors.model);
        index_stats.push_back(summary->stats());
        RankedList summary_list{"summary", w_sum, {}};
        for (const Neighbour& hit : summary->nearest(vectors.summary, depth, allowedOf(filters)))
            if (hit.similarity >= threshold) summary_list.items.emplace_back(hit.clip_id, hit.similarity);
        lists.push_back(std::move(summary_list));
        if (const auto keyword = index.space(ctx, "keyword", vectors.model)) {
            RankedList keyword_list{"keyword", w_kw, {}};
            for (const Neighbour& hit : keyword->nearest(vectors.keyword, depth, allowedOf(filters)))
                if (hit.similarity >= threshold) keyword_list.items.emplace_back(hit.clip_id, hit.similarity);
            lists.push_back(std::move(keyword_list));
        }
    } catch (const clipdex::Error& error) {
        if (!missing(error) || !unavailable.empty()) throw;  // nothing left to fuse
        unavailable["vectors"] = error.what();
        ctx.warn(std::string("hybrid search without vectors: ") + error.what());
    }

    std::vector<Scored> list;
    for (const FusedHit& fused : fuseRrf(lists, k)) {
        json per_list = json::object();
        for (const auto& [name, position] : fused.lists)
            per_list[name] = {{"rank", position.rank}, {"score", position.score}};
        const auto summary = fused.lists.find("summary");
        list.push_back({fused.id,
                        fused.rrf,
                        {{"match_type", matchType(fused)},
                         {"search_rank", fused.rrf},
                         {"score", fused.rrf},
                         {"similarity_score", summary == fused.lists.end() ? 0.0 : summary->second.score},
                         {"lists", per_list}}});
    }
    json out = emitPage(ctx, index, list, page);
    out["took_ms"] = millisecondsSince(start);
    out["model"] = model.empty() ? json() : json(model);
    out["rrf_k"] = k;
    out["weights"] = {{"fulltext", w_ft}, {"summary", w_sum}, {"keyword", w_kw}};
    out["threshold"] = threshold;
    out["lists"] = json::object();
    for (const RankedList& ranked : lists) out["lists"][ranked.name] = ranked.items.size();
    if (!unavailable.empty()) out["unavailable"] = unavailable;
    out["filters"] = filterSummary(filters);
    out["index"] = index_stats;
    return out;
}

}  // namespace vectors
