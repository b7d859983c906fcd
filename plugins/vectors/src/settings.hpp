// The plugin's settings: config section plugins."clipdex.vectors" of the config file over built-in defaults
// (docs/search/vectors-and-hybrid.md explains each default).
#pragma once

#include <clipdex/plugin.hpp>
#include <cstddef>

#include "vector_index.hpp"

namespace vectors {

struct Settings {
    IndexSettings index;
    // semantic
    double semantic_threshold = 0.12;  ///< on summary similarity; bge-m3 used 0.4, the hashed local model scores lower
    double summary_weight = 1.0;
    double keyword_weight = 0.8;
    // hybrid
    double rrf_k = 50;
    double fulltext_weight = 2.5;
    double hybrid_summary_weight = 1.0;
    double hybrid_keyword_weight = 0.8;
    double hybrid_threshold = 0.12;  ///< vector lists keep hits at or above this similarity
    // similar
    double similar_text_threshold = 0.5;
    double similar_visual_threshold = 0.75;
    double similar_combined_threshold = 0.6;
    double text_summary_weight = 0.5;
    double text_keyword_weight = 0.5;
    double combined_text_factor = 0.6;
    double combined_visual_factor = 0.4;
    // embeddings
    std::size_t truncate_chars = 14000;  ///< ≈ the original's 3500 tokens at 4 characters a token
    std::size_t max_limit = 100;
};

Settings loadSettings(const clipdex::Host& host);

}  // namespace vectors
