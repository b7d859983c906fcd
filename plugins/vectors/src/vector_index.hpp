// The vector index: one space per (kind, model) of clip_embeddings, each an hnswlib graph (inner product on
// L2-normalised vectors = cosine) plus the label → clip map. Spaces follow the catalog incrementally (rows with
// a higher seq are added, replaced rows' old labels marked deleted, deletions found by comparing live counts)
// and are persisted under the plugin's state directory. Thread-safe: searches share a space, syncs take it
// exclusively.
#pragma once

#include <clipdex/plugin.hpp>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace vectors {

using clipdex::json;

struct IndexSettings {
    std::size_t exact_below = 5000;  ///< brute-force (exact) search below this many live vectors
    std::size_t m = 16;
    std::size_t ef_construction = 200;
    std::size_t ef_search = 500;    ///< HNSW beam width of text queries
    std::size_t ef_similar = 200;   ///< of similar-clip queries (a stored vector: in distribution, easier)
    double reconcile_seconds = 30;  ///< how often to count rows to notice deletions
    double persist_seconds = 300;   ///< minimum interval between incremental saves of a large space (small ones,
                                    ///< builds and shutdown save at once)
};

struct Neighbour {
    std::string clip_id;
    float similarity = 0;
};

class VectorSpace;

class VectorIndex {
public:
    VectorIndex(const clipdex::Host& host, IndexSettings settings);
    ~VectorIndex();  ///< saves spaces with unsaved changes
    VectorIndex(const VectorIndex&) = delete;
    VectorIndex& operator=(const VectorIndex&) = delete;

    /// The space of (kind, model), synced with the catalog; null when the catalog has no such vectors.
    std::shared_ptr<VectorSpace> space(const clipdex::Context& ctx, const std::string& kind, const std::string& model);
    /// Syncs the space only if it is in memory or saved on disk (a pipeline step must not build a large index).
    void touch(const clipdex::Context& ctx, const std::string& kind, const std::string& model);
    /// The next sync of every space counts rows (a hit's clip turned out to be deleted).
    void requestReconcile();
    const IndexSettings& settings() const noexcept { return settings_; }
    /// Every loaded space: kind, model, dimension, size, exact, source, files.
    json describe() const;

private:
    std::string catalogId(const clipdex::Context& ctx);
    std::string directory() const;
    void sync(const clipdex::Context& ctx, VectorSpace& space);
    void persist(VectorSpace& space, bool throttled);

    clipdex::Host host_;
    IndexSettings settings_;
    mutable std::mutex mutex_;
    std::string catalog_id_;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<VectorSpace>> spaces_;
};

class VectorSpace {
public:
    VectorSpace(std::string kind, std::string model, std::size_t dimension, const IndexSettings& settings);
    ~VectorSpace();

    const std::string& kind() const noexcept { return kind_; }
    const std::string& model() const noexcept { return model_; }
    std::size_t dimension() const noexcept { return dimension_; }
    std::size_t size() const;
    /// Whether nearest() without a filter scans every vector.
    bool exact() const;

    /// The k most similar clips to a normalised query, best first. `allowed` restricts the clips (null: all);
    /// `ef` is the HNSW beam width (0: index.ef_search).
    std::vector<Neighbour> nearest(const std::vector<float>& query, std::size_t k,
                                   const std::unordered_set<std::string>* allowed = nullptr, std::size_t ef = 0) const;
    /// The stored vector of a clip.
    std::optional<std::vector<float>> vectorOf(const std::string& clip_id) const;
    /// dot(query, clip's vector), or nullopt when the clip has none here.
    std::optional<float> similarity(const std::vector<float>& query, const std::string& clip_id) const;
    /// {kind, model, dimension, size, exact, source, added, removed}
    json stats() const;

private:
    friend class VectorIndex;
    struct Impl;
    std::string kind_, model_;
    std::size_t dimension_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vectors
