#include "settings.hpp"

namespace vectors {
namespace {

template <class T>
void read(const clipdex::Host& host, const char* key, T& target) {
    const clipdex::json value = host.config(key);
    if constexpr (std::is_floating_point_v<T>) {
        if (value.is_number()) target = value.get<T>();
    } else {
        if (value.is_number_integer() && value.get<long long>() > 0) target = static_cast<T>(value.get<long long>());
    }
}

}  // namespace

Settings loadSettings(const clipdex::Host& host) {
    Settings s;
    read(host, "index.exact_below", s.index.exact_below);
    read(host, "index.m", s.index.m);
    read(host, "index.ef_construction", s.index.ef_construction);
    read(host, "index.ef_search", s.index.ef_search);
    read(host, "index.ef_similar", s.index.ef_similar);
    read(host, "index.reconcile_seconds", s.index.reconcile_seconds);
    read(host, "index.persist_seconds", s.index.persist_seconds);
    read(host, "semantic.threshold", s.semantic_threshold);
    read(host, "semantic.summary_weight", s.summary_weight);
    read(host, "semantic.keyword_weight", s.keyword_weight);
    read(host, "hybrid.rrf_k", s.rrf_k);
    read(host, "hybrid.fulltext_weight", s.fulltext_weight);
    read(host, "hybrid.summary_weight", s.hybrid_summary_weight);
    read(host, "hybrid.keyword_weight", s.hybrid_keyword_weight);
    read(host, "hybrid.threshold", s.hybrid_threshold);
    read(host, "similar.text_threshold", s.similar_text_threshold);
    read(host, "similar.visual_threshold", s.similar_visual_threshold);
    read(host, "similar.combined_threshold", s.similar_combined_threshold);
    read(host, "similar.text_summary_weight", s.text_summary_weight);
    read(host, "similar.text_keyword_weight", s.text_keyword_weight);
    read(host, "similar.combined_text_factor", s.combined_text_factor);
    read(host, "similar.combined_visual_factor", s.combined_visual_factor);
    read(host, "embeddings.truncate_chars", s.truncate_chars);
    read(host, "max_limit", s.max_limit);
    return s;
}

}  // namespace vectors
