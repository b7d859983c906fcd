// Exact bm25 top-k for the fulltext backend, optionally split into rowid partitions ranked concurrently.
//
// Every matching row is visited (bm25 reads each row's position lists, and its %_docsize entry unless the
// catalog's clipdex_bm25_topk rules the row out first), so a query of a common word costs time in proportion
// to its matches: ~10 ms for 26k matches at 100k clips on one core. The ranking is exact bm25
// order either way: bm25's statistics (row count, average length, each phrase's document frequency) are
// table-wide, so a row scores the same in any partition, and merging the partitions' top-k by
// (bm25, rowid) gives exactly the one-query order. Each scan returns its count and its best rows together
// (the catalog's clipdex_topk aggregate), so the total costs no second walk.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common.hpp"
#include "fts_partitions.hpp"

namespace search {

struct RankPlan {
    /// " FROM clips_fts … WHERE clips_fts MATCH :match …": the matching rows, filters applied.
    std::string from;
    json params;  ///< the parameters of `from`
    std::array<double, 5> weights{};
    std::int64_t limit = 10;
    std::int64_t offset = 0;
    unsigned partitions = 1;              ///< at most this many concurrent partitions (1 = one query)
    std::int64_t partition_min_rows = 0;  ///< catalogs with a smaller rowid span are ranked in one query
};

struct RankedPage {
    std::vector<RankedRow> rows;  ///< the page, best first; ties by rowid
    std::int64_t total = 0;       ///< every match, not only the page
};

/// The page [offset, offset + limit) of the rows of plan.from in (bm25, rowid) order, and their count.
RankedPage rankExact(const clipdex::Host& host, const clipdex::Context& ctx, const RankPlan& plan);

}  // namespace search
