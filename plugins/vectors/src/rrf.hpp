// Weighted reciprocal-rank fusion (inventory §4.2/§4.6): rrf(d) = Σ_lists w_l / (k + rank_l(d)), ranks 1-based,
// a list the document is absent from contributes nothing.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace vectors {

struct RankedList {
    std::string name;  ///< "fulltext", "summary", "keyword"
    double weight = 1.0;
    std::vector<std::pair<std::string, double>> items;  ///< (id, the list's own score), best first
};

struct ListPosition {
    int rank = 0;  ///< 1-based
    double score = 0;
};

struct FusedHit {
    std::string id;
    double rrf = 0;
    std::map<std::string, ListPosition> lists;  ///< only the lists the id appears in
};

/// Fused hits, best first; ties broken by the best single rank, then by id (deterministic).
/// An id repeated within one list counts at its first (best) rank.
std::vector<FusedHit> fuseRrf(const std::vector<RankedList>& lists, double k);

/// "hybrid" when found by full text and by a vector list, "fulltext" when only by full text, else "semantic".
std::string matchType(const FusedHit& hit);

}  // namespace vectors
