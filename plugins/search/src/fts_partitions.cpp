#include "fts_partitions.hpp"

#include <algorithm>
#include <cstddef>

namespace search {

std::vector<std::pair<std::int64_t, std::int64_t>> rowidPartitions(std::int64_t lo, std::int64_t hi, unsigned parts) {
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    if (hi < lo || parts == 0) return ranges;
    // Unsigned arithmetic: hi - lo may not fit a signed 64-bit value (span 0 = all 2^64 rowids).
    const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    const std::uint64_t count = span == 0 ? parts : std::min<std::uint64_t>(parts, span);
    const std::uint64_t step = span == 0 ? ~std::uint64_t{0} / count : span / count;
    auto first = static_cast<std::uint64_t>(lo);
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t last = i + 1 == count ? static_cast<std::uint64_t>(hi) : first + step - 1;
        ranges.emplace_back(static_cast<std::int64_t>(first), static_cast<std::int64_t>(last));
        first = last + 1;
    }
    return ranges;
}

std::vector<RankedRow> mergePartitions(std::vector<std::vector<RankedRow>> partitions, std::int64_t offset,
                                       std::int64_t limit) {
    std::vector<RankedRow> merged;
    for (auto& part : partitions) merged.insert(merged.end(), part.begin(), part.end());
    // The same order as the query's ORDER BY bm25, rowid: equal scores (common in short texts) tie-break the
    // same way whichever partition a row came from.
    std::sort(merged.begin(), merged.end(), [](const RankedRow& a, const RankedRow& b) {
        return a.bm25 != b.bm25 ? a.bm25 < b.bm25 : a.rowid < b.rowid;
    });
    const auto begin =
        std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(offset, 0)), merged.size());
    const auto end =
        std::min<std::size_t>(static_cast<std::size_t>(std::max<std::int64_t>(offset + limit, 0)), merged.size());
    if (begin >= end) return {};
    return {merged.begin() + static_cast<std::ptrdiff_t>(begin), merged.begin() + static_cast<std::ptrdiff_t>(end)};
}

}  // namespace search
