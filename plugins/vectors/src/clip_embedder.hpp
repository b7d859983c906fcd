// Embeds clips and stores their vectors: the work of generate_embeddings_step and `search reembed`.
#pragma once

#include <clipdex/plugin.hpp>
#include <string>
#include <vector>

#include "settings.hpp"
#include "vector_index.hpp"

namespace vectors {

struct ClipEmbedding {
    std::string clip_id;
    std::size_t summary_tokens = 0;  ///< words
    std::size_t keyword_tokens = 0;  ///< words
    bool truncation_applied = false;
    std::string summary_truncation = "none";
    std::string keyword_truncation = "none";
    std::string model;
    std::size_t dimension = 0;
    std::size_t thumbnail_embeddings_count = 0;
    std::string visual_model;
};

/// Embeds the clips (summary and keyword text in one request; thumbnails averaged into one visual vector when
/// `visual` and the image provider answers) and replaces their rows of those kinds and models in one
/// transaction. Unknown clip ids are skipped. Warnings (visual skipped, ...) are appended to `warnings`.
std::vector<ClipEmbedding> embedClips(const clipdex::Context& ctx, const Settings& settings,
                                      const std::vector<std::string>& clip_ids, bool visual, json& warnings);

}  // namespace vectors
