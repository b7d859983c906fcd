// `search recent`, `clip list`, `search query` and `search similar`.
#include <map>

#include "clip_body.hpp"
#include "commands.hpp"
#include "filters.hpp"

namespace search {
namespace {

using clipdex::Error;

/// The backend's answer as the command's results; a missing vector backend gets a message saying why.
json dispatch(const clipdex::Host& host, clipdex::Context& ctx, const std::string& backend, const json& query) {
    try {
        return host.search(ctx, backend, query);
    } catch (const Error& error) {
        if (error.status() != CDX_E_UNSUPPORTED) throw;
        json details = error.details().is_object() ? error.details() : json::object();
        details["backend"] = backend;
        details["hint"] = "install or enable the clipdex.vectors plugin, or use --type fulltext";
        std::string what = backend == "similar" ? "similar-clip search" : backend + " search";
        throw Error(CDX_E_UNSUPPORTED, what + " needs the clipdex.vectors plugin (" + error.what() + ")", details);
    }
}

std::string resolveSortOrder(const std::string& order) {
    if (order == "ascending" || order == "asc") return "ascending";
    if (order == "descending" || order == "desc") return "descending";
    throw Error(CDX_E_INVALID_ARGUMENT, "unknown sort order '" + order + "': use ascending or descending",
                {{"field", "sort_order"}});
}

/// The search answer in both panel generations' shapes: `results`/`total` and `data`/`pagination`.
json searchResult(json results, const json& total, const std::string& text, const std::string& type, std::int64_t limit,
                  std::int64_t offset, const json& took_ms) {
    const std::size_t count = results.size();
    json result = pageOf(std::move(results), total, limit, offset);
    result.update({{"query", text},
                   {"search_type", type},
                   {"match_count", count},
                   {"limit", limit},
                   {"offset", offset},
                   {"took_ms", took_ms}});
    return result;
}

}  // namespace

json listClips(const clipdex::Host& host, const json& args, clipdex::Context& ctx, std::int64_t default_limit) {
    // Column and direction come from fixed tables, never from the request text.
    static const std::map<std::string, std::string> kSortColumns = {{"processed_at", "c.processed_at"},
                                                                    {"file_name", "c.file_name"},
                                                                    {"duration_seconds", "c.duration_seconds"},
                                                                    {"created_at", "c.created_at"}};
    // The original server's names (sort, order) reach sort_by / sort_order through x-http-aliases.
    std::string sort_by = stringArg(args, "sort_by");
    if (sort_by.empty()) sort_by = "processed_at";
    const std::string order = stringArg(args, "sort_order");
    const std::string sort_order = resolveSortOrder(order.empty() ? "descending" : order);
    const auto column = kSortColumns.find(sort_by);
    if (column == kSortColumns.end())
        throw Error(CDX_E_INVALID_ARGUMENT,
                    "cannot sort by '" + sort_by + "': use processed_at, file_name, duration_seconds or created_at",
                    {{"field", "sort_by"}});
    const std::int64_t limit = intArg(args, "limit", default_limit, 1, 1000);
    const std::int64_t offset = intArg(args, "offset", 0, 0, 1000000);
    Where where = buildWhere(filtersFromArgs(args));
    restrictToCaller(where, ctx);

    const auto catalog = host.catalog();
    const std::string direction = sort_order == "ascending" ? "ASC" : "DESC";
    json params = where.params;
    params["limit"] = limit;
    params["offset"] = offset;
    json results = json::array();
    // NULLs last whatever the direction, then the id, so pages never overlap.
    const std::string sql = "SELECT " + clipColumns("c") + " FROM clips c WHERE " + where.sql + " ORDER BY " +
                            column->second + " IS NULL, " + column->second + " " + direction +
                            ", c.id ASC LIMIT :limit OFFSET :offset";
    for (json row : catalog.query(ctx, sql, params)) results.push_back(panelClip(listingRow(std::move(row))));
    const json total =
        catalog.query(ctx, "SELECT COUNT(*) AS n FROM clips c WHERE " + where.sql, where.params).at(0).at("n");
    json result = pageOf(std::move(results), total, limit, offset);
    result.update({{"sort_by", sort_by},
                   {"sort_order", sort_order},
                   {"limit", limit},
                   {"offset", offset},
                   {"filters", filtersFromArgs(args)}});
    return result;
}

json searchQuery(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    if (!args.contains("q") || args["q"].is_null())
        throw Error(CDX_E_INVALID_ARGUMENT, "a search query is required: give QUERY (or q= / query= over HTTP)",
                    {{"field", "q"}, {"code", "MISSING_QUERY"}});
    const std::string text = stringArg(args, "q");
    std::string type = stringArg(args, "type");
    const bool type_given = !type.empty();
    if (type == "all") type = "hybrid";
    if (type == "keyword") type = "fulltext";
    if (type.empty()) type = "hybrid";
    if (type != "fulltext" && type != "semantic" && type != "hybrid" && type != "transcripts")
        throw Error(CDX_E_INVALID_ARGUMENT,
                    "unknown search type '" + type + "': use fulltext, semantic, hybrid or transcripts",
                    {{"field", "type"}});
    const std::int64_t limit = intArg(args, "limit", 10, 1, 100);
    const std::int64_t offset = intArg(args, "offset", 0, 0, 1000000);
    // A cleared search box (q= with nothing to search for) lists nothing, as the legacy server answered.
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        return searchResult(json::array(), 0, text, type, limit, offset, 0.0);

    json query = {{"q", text}, {"limit", limit}, {"offset", offset}, {"filters", filtersFromArgs(args)}};
    if (type == "transcripts") query["scope"] = "transcripts";
    json weights = json::object();
    for (const auto& [arg, key] : std::map<std::string, std::string>{
             {"semantic_weight", "summary"}, {"keyword_weight", "keyword"}, {"fulltext_weight", "fulltext"}})
        if (args.contains(arg) && args[arg].is_number()) weights[key] = args[arg];
    if (!weights.empty()) query["weights"] = weights;
    if (args.contains("rrf_k") && args["rrf_k"].is_number()) query["rrf_k"] = args["rrf_k"];

    const std::string backend = type == "transcripts" ? "fulltext" : type;
    json answer;
    std::string used = type;
    std::string fallback_reason;
    try {
        answer = dispatch(host, ctx, backend, query);
    } catch (const Error& error) {
        // The default type degrades to keyword search when hybrid search cannot answer (no vector plugin, no
        // embeddings yet); an explicitly requested type reports its error.
        if (type_given || error.status() == CDX_E_CANCELLED || error.status() == CDX_E_TIMEOUT) throw;
        ctx.warn("hybrid search is unavailable; falling back to fulltext: " + std::string(error.what()));
        fallback_reason = error.what();
        answer = dispatch(host, ctx, "fulltext", query);
        used = "fulltext";
    }
    json results = withClipFields(host.catalog(), ctx, answer.value("hits", json::array()));
    const json summary = answer.value("summary", json::object());
    const json total = summary.contains("total") ? summary["total"] : json(results.size());
    json result = searchResult(std::move(results), total, text, used, limit, offset, summary.value("took_ms", json()));
    if (used != type) {
        result["fallback_from"] = type;
        result["fallback_reason"] = fallback_reason;
    }
    return result;
}

json searchSimilar(const clipdex::Host& host, const json& args, clipdex::Context& ctx) {
    const json clip = findClip(host.catalog(), ctx, stringArg(args, "clip_id"));
    const std::string id = clip.at("id").get<std::string>();
    const std::int64_t limit = intArg(args, "limit", 10, 1, 100);
    json query = {{"clip_id", id}, {"limit", limit}};
    if (args.contains("threshold") && args["threshold"].is_number()) query["threshold"] = args["threshold"];
    if (const std::string mode = stringArg(args, "mode"); !mode.empty()) query["mode"] = mode;
    const json answer = dispatch(host, ctx, "similar", query);
    json results = withClipFields(host.catalog(), ctx, answer.value("hits", json::array()));
    const json summary = answer.value("summary", json::object());
    json threshold = query.value("threshold", json());
    if (threshold.is_null()) threshold = summary.value("threshold", summary.value("similarity_threshold", json()));
    const std::size_t count = results.size();
    const json total = summary.contains("total") ? summary["total"] : json(count);
    json result = pageOf(std::move(results), total, limit, 0);
    result.update({{"clip_id", id},
                   {"source_clip_id", id},
                   {"file_name", clip.value("file_name", json())},
                   {"match_count", count},
                   {"limit", limit},
                   {"similarity_threshold", threshold}});
    return result;
}

}  // namespace search
