#include "fts_ranking.hpp"

#include <algorithm>
#include <exception>
#include <future>
#include <utility>

namespace search {
namespace {

// bm25 through the catalog's clipdex_bm25_topk(): exactly bm25, but NULL (without reading the row's length)
// for rows that cannot reach the statement's best :keep; weights bound as parameters keep the statement text
// constant (cached by the host), where FTS5's `rank MATCH 'bm25(...)'` prepares a statement per query.
constexpr const char* kScore = "clipdex_bm25_topk(clips_fts, :keep, :w0, :w1, :w2, :w3, :w4)";
constexpr const char* kOrder = " ORDER BY score IS NULL, score, clips_fts.rowid";
// One scan for a page of up to :keep rows and the count: clipdex_topk() keeps the best rows as they pass, where
// `ORDER BY … LIMIT` put every match through SQLite's sorter and needed a second scan to count (100k clips,
// a word in 46k: 6.5 → 4.8 ms per partition).
// The scores come from a subquery because FTS5 functions cannot be called inside an aggregate's arguments
// ("unable to use function … in the requested context"); LIMIT -1 keeps SQLite from flattening it into one.
constexpr const char* kPageAndCount = "SELECT count(*) AS n, clipdex_topk(:keep, score, rid) AS page FROM (";
// Pages ending deeper than this are ranked by SQLite's sorter in one query: clipdex_topk would hold (and each
// partition return) offset + limit rows.
constexpr std::int64_t kMaxKeep = 1000;

struct Partition {
    std::int64_t count = 0;
    std::vector<RankedRow> rows;
};

json rankParams(const RankPlan& plan) {
    json params = plan.params;
    for (std::size_t i = 0; i < plan.weights.size(); ++i) params["w" + std::to_string(i)] = plan.weights[i];
    return params;
}

std::vector<RankedRow> rankedRows(const json& rows) {
    std::vector<RankedRow> out;
    out.reserve(rows.size());
    for (const json& row : rows)
        out.push_back(
            {row.at("rid").get<std::int64_t>(), row.at("score").is_number() ? row["score"].get<double>() : 0});
    return out;
}

/// The count and best `keep` rows of the matches, in the rowid range when there is one, from one scan.
Partition rankRange(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const RankPlan& plan,
                    const std::pair<std::int64_t, std::int64_t>* range, std::int64_t keep) {
    json params = rankParams(plan);
    params["keep"] = keep;
    std::string where = plan.from;
    if (range != nullptr) {
        where += " AND clips_fts.rowid BETWEEN :lo AND :hi";
        params["lo"] = range->first;
        params["hi"] = range->second;
    }
    const json answer = catalog
                            .query(ctx,
                                   std::string(kPageAndCount) + "SELECT clips_fts.rowid AS rid, " + kScore +
                                       " AS score" + where + " LIMIT -1)",
                                   params)
                            .at(0);
    Partition out;
    out.count = answer.at("n").get<std::int64_t>();
    for (const json& row : json::parse(answer.at("page").get<std::string>()))
        out.rows.push_back({row.at(0).get<std::int64_t>(), row.at(1).get<double>()});
    return out;
}

RankedPage rankDeepPage(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const RankPlan& plan) {
    json params = rankParams(plan);
    params["limit"] = plan.limit;
    params["offset"] = plan.offset;
    params["keep"] = plan.offset + plan.limit;
    RankedPage page;
    page.rows = rankedRows(catalog.query(ctx,
                                         std::string("SELECT clips_fts.rowid AS rid, ") + kScore + " AS score" +
                                             plan.from + kOrder + " LIMIT :limit OFFSET :offset",
                                         params));
    // The total needs no second walk when the first page already holds every match.
    page.total = static_cast<std::int64_t>(page.rows.size());
    if (plan.offset > 0 || page.total == plan.limit)
        page.total = catalog.query(ctx, "SELECT COUNT(*) AS n" + plan.from, plan.params).at(0).at("n");
    return page;
}

}  // namespace

RankedPage rankExact(const clipdex::Host& host, const clipdex::Context& ctx, const RankPlan& plan) {
    const auto catalog = host.catalog();
    const std::int64_t keep = plan.offset + plan.limit;
    // Deep pages would copy offset + limit rows out of every partition; SQLite's sorter walks them more cheaply.
    if (keep > kMaxKeep) return rankDeepPage(catalog, ctx, plan);
    auto onePage = [&](Partition&& all) {
        RankedPage page;
        page.total = all.count;
        page.rows = mergePartitions({std::move(all.rows)}, plan.offset, plan.limit);
        return page;
    };
    if (plan.partitions <= 1) return onePage(rankRange(catalog, ctx, plan, nullptr, keep));
    // clips_fts rows share their clip's rowid (the catalog's triggers), so the clips b-tree gives the span.
    const json span =
        catalog
            .query(ctx, "SELECT (SELECT MIN(rowid) FROM clips) AS lo, (SELECT MAX(rowid) FROM clips) AS hi",
                   json::object())
            .at(0);
    if (!span["lo"].is_number_integer() || !span["hi"].is_number_integer()) return {};  // no clips
    const std::int64_t lo = span["lo"].get<std::int64_t>();
    const std::int64_t hi = span["hi"].get<std::int64_t>();
    if (static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1 <
        static_cast<std::uint64_t>(std::max<std::int64_t>(plan.partition_min_rows, 0)))
        return onePage(rankRange(catalog, ctx, plan, nullptr, keep));

    const auto ranges = rowidPartitions(lo, hi, plan.partitions);
    // Partitions after the first run on their own threads, each on a pooled catalog connection. They use a
    // context without the call: a call's failure record is not meant for concurrent writers. A partition that
    // failed there is ranked again on this thread, so a real error reaches the call like any catalog error.
    const clipdex::Context detached(host, nullptr);
    std::vector<std::future<Partition>> workers;
    for (std::size_t i = 1; i < ranges.size(); ++i)
        workers.push_back(
            std::async(std::launch::async, [&, i] { return rankRange(catalog, detached, plan, &ranges[i], keep); }));
    std::vector<Partition> parts;
    std::exception_ptr failure;
    try {
        parts.push_back(rankRange(catalog, ctx, plan, &ranges[0], keep));
    } catch (...) {
        failure = std::current_exception();  // still wait for the workers: they use this frame's plan and catalog
    }
    for (std::size_t i = 0; i < workers.size(); ++i) {
        try {
            parts.push_back(workers[i].get());
        } catch (...) {
            if (!failure) parts.push_back(rankRange(catalog, ctx, plan, &ranges[i + 1], keep));
        }
    }
    if (failure) std::rethrow_exception(failure);

    RankedPage page;
    std::vector<std::vector<RankedRow>> rows;
    for (Partition& part : parts) {
        page.total += part.count;
        rows.push_back(std::move(part.rows));
    }
    page.rows = mergePartitions(std::move(rows), plan.offset, plan.limit);
    return page;
}

}  // namespace search
