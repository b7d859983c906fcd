// Pure parts of clipdex.search's partitioned ranking: rowid ranges and the merge of partition top-k lists.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>

#include "fts_partitions.hpp"

namespace {

using search::RankedRow;

/// Every rowid of [lo, hi] in exactly one range, ranges contiguous and in order.
void expectCovers(const std::vector<std::pair<std::int64_t, std::int64_t>>& ranges, std::int64_t lo, std::int64_t hi) {
    ASSERT_FALSE(ranges.empty());
    EXPECT_EQ(ranges.front().first, lo);
    EXPECT_EQ(ranges.back().second, hi);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        EXPECT_LE(ranges[i].first, ranges[i].second) << "range " << i;
        if (i > 0) {
            EXPECT_EQ(ranges[i].first, ranges[i - 1].second + 1) << "range " << i;
        }
    }
}

TEST(SearchPartitions, RangesCoverTheSpanOnceAndShrinkToItsSize) {
    auto ranges = search::rowidPartitions(1, 100000, 2);
    ASSERT_EQ(ranges.size(), 2U);
    expectCovers(ranges, 1, 100000);
    EXPECT_EQ(ranges[0].second, 50000);

    ranges = search::rowidPartitions(5, 14, 3);  // 10 rowids: 3, 3, 4
    ASSERT_EQ(ranges.size(), 3U);
    expectCovers(ranges, 5, 14);
    EXPECT_EQ(ranges[2].second - ranges[2].first + 1, 4);

    EXPECT_EQ(search::rowidPartitions(7, 7, 4), (std::vector<std::pair<std::int64_t, std::int64_t>>{{7, 7}}));
    EXPECT_EQ(search::rowidPartitions(7, 8, 4).size(), 2U);
    EXPECT_TRUE(search::rowidPartitions(8, 7, 2).empty());
    EXPECT_TRUE(search::rowidPartitions(1, 10, 0).empty());

    // Extreme rowids (SQLite allows any 64-bit value) must not overflow.
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    ranges = search::rowidPartitions(kMin, kMax, 4);
    ASSERT_EQ(ranges.size(), 4U);
    expectCovers(ranges, kMin, kMax);
    ranges = search::rowidPartitions(-3, kMax, 3);
    ASSERT_EQ(ranges.size(), 3U);
    expectCovers(ranges, -3, kMax);
}

TEST(SearchPartitions, MergeEqualsOneSortedListWithRowidTieBreaks) {
    // 300 rows with many equal scores, split by rowid into 3 partitions that each keep their best offset+limit.
    std::mt19937 rng(3);
    std::vector<RankedRow> all;
    for (std::int64_t rowid = 1; rowid <= 300; ++rowid) all.push_back({rowid, -static_cast<double>(rng() % 20) / 4.0});
    std::vector<RankedRow> expected = all;
    std::sort(expected.begin(), expected.end(), [](const RankedRow& a, const RankedRow& b) {
        return a.bm25 != b.bm25 ? a.bm25 < b.bm25 : a.rowid < b.rowid;
    });
    for (const auto& [offset, limit] :
         std::vector<std::pair<std::int64_t, std::int64_t>>{{0, 10}, {7, 5}, {95, 10}, {290, 50}}) {
        std::vector<std::vector<RankedRow>> parts;
        for (const auto& [first, last] : search::rowidPartitions(1, 300, 3)) {
            std::vector<RankedRow> part;
            for (const RankedRow& row : expected)  // already in order: the best offset+limit of the range
                if (row.rowid >= first && row.rowid <= last && static_cast<std::int64_t>(part.size()) < offset + limit)
                    part.push_back(row);
            parts.push_back(part);
        }
        const auto merged = search::mergePartitions(parts, offset, limit);
        const auto want = std::min<std::int64_t>(limit, std::max<std::int64_t>(0, 300 - offset));
        ASSERT_EQ(static_cast<std::int64_t>(merged.size()), want) << "offset " << offset;
        for (std::size_t i = 0; i < merged.size(); ++i) {
            EXPECT_EQ(merged[i].rowid, expected[static_cast<std::size_t>(offset) + i].rowid) << offset << "+" << i;
            EXPECT_EQ(merged[i].bm25, expected[static_cast<std::size_t>(offset) + i].bm25);
        }
    }
    EXPECT_TRUE(search::mergePartitions({{{1, -1.0}}}, 1, 10).empty());
    EXPECT_TRUE(search::mergePartitions({}, 0, 10).empty());
}

}  // namespace
