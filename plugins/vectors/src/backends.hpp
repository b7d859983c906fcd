// The search backends: semantic (weighted cosine over the summary and keyword spaces), hybrid (weighted RRF of
// full text and both vector lists) and similar (a clip's own vectors: text, visual or combined).
#pragma once

#include <clipdex/plugin.hpp>

#include "settings.hpp"
#include "vector_index.hpp"

namespace vectors {

json semanticSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index);
json hybridSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index);
json similarSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index);

}  // namespace vectors
