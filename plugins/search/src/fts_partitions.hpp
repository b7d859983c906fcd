// The pure parts of partitioned full-text ranking (fts_ranking.hpp): splitting the rowid range and merging the
// partitions' best rows. No SDK dependency, so they are unit-tested without a host.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace search {

struct RankedRow {
    std::int64_t rowid = 0;
    double bm25 = 0;  ///< FTS5's value: negative, lower is better
};

/// The rowid ranges [first, last] of `parts` contiguous partitions covering [lo, hi] exactly once (fewer
/// partitions when the span holds fewer rowids; none when hi < lo).
std::vector<std::pair<std::int64_t, std::int64_t>> rowidPartitions(std::int64_t lo, std::int64_t hi, unsigned parts);

/// Rows [offset, offset + limit) of the union of `partitions` in (bm25, rowid) order: exactly the one-query
/// order when each partition holds its best offset + limit rows.
std::vector<RankedRow> mergePartitions(std::vector<std::vector<RankedRow>> partitions, std::int64_t offset,
                                       std::int64_t limit);

}  // namespace search
