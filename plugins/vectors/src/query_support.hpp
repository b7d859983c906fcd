// Helpers shared by the backends: query parameters, the query embedding, spaces with clean errors, emitting hits.
#pragma once

#include <chrono>
#include <clipdex/plugin.hpp>
#include <memory>
#include <string>
#include <vector>

#include "clip_rows.hpp"
#include "settings.hpp"
#include "vector_index.hpp"

namespace vectors {

struct Paging {
    std::size_t limit = 10;
    std::size_t offset = 0;
};
Paging paging(const json& query, const Settings& settings, std::size_t default_limit = 10);

/// query[key] (or query.weights[key]) as a number, else `fallback`.
double number(const json& query, const char* key, double fallback);

struct QueryVectors {
    std::string model;
    std::vector<float> summary;  ///< of "Video content about: <q>"
    std::vector<float> keyword;  ///< of "<q>"
};
/// Embeds the query twice, as the original did (purpose "query").
QueryVectors embedQuery(const clipdex::Context& ctx, const std::string& q);

/// The space, or UNAVAILABLE naming `clipdex search reembed` when the catalog has no vectors of `model`.
std::shared_ptr<VectorSpace> requireSpace(const clipdex::Context& ctx, VectorIndex& index, const std::string& kind,
                                          const std::string& model);

/// Emits one hit per id (in order) with its clip fields merged under `extra[i]`; ids whose clip is gone are
/// dropped (and the index told to reconcile). Returns how many were emitted.
std::size_t emitHits(clipdex::Context& ctx, VectorIndex& index, const std::vector<std::string>& ids,
                     std::vector<json> extra);

double millisecondsSince(std::chrono::steady_clock::time_point start);

/// The q argument, required and non-empty.
std::string queryText(const json& query);

}  // namespace vectors
