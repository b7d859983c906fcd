#include "rrf.hpp"

#include <algorithm>
#include <climits>
#include <unordered_map>

namespace vectors {

std::vector<FusedHit> fuseRrf(const std::vector<RankedList>& lists, double k) {
    std::vector<FusedHit> hits;
    std::unordered_map<std::string, std::size_t> index;
    for (const RankedList& list : lists) {
        int rank = 0;
        for (const auto& [id, score] : list.items) {
            ++rank;
            auto [it, inserted] = index.try_emplace(id, hits.size());
            if (inserted) hits.push_back(FusedHit{id, 0, {}});
            FusedHit& hit = hits[it->second];
            if (hit.lists.count(list.name) != 0) continue;
            hit.lists[list.name] = ListPosition{rank, score};
            hit.rrf += list.weight / (k + rank);
        }
    }
    auto best_rank = [](const FusedHit& hit) {
        int best = INT_MAX;
        for (const auto& [name, position] : hit.lists) best = std::min(best, position.rank);
        return best;
    };
    std::stable_sort(hits.begin(), hits.end(), [&](const FusedHit& a, const FusedHit& b) {
        if (a.rrf != b.rrf) return a.rrf > b.rrf;
        const int ra = best_rank(a), rb = best_rank(b);
        if (ra != rb) return ra < rb;
        return a.id < b.id;
    });
    return hits;
}

std::string matchType(const FusedHit& hit) {
    const bool fulltext = hit.lists.count("fulltext") != 0;
    const bool vector = hit.lists.size() > (fulltext ? 1U : 0U);
    if (fulltext && vector) return "hybrid";
    if (fulltext) return "fulltext";
    return "semantic";
}

}  // namespace vectors
