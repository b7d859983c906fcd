// Internal: the state behind a VectorSpace. The hnswlib graph lives only in vector_space.cpp (the one file that
// includes hnswlib); vector_index.cpp drives syncing and persistence through these members.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vector_index.hpp"

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace vectors {

struct EmbeddingRow {
    std::int64_t seq = 0;  ///< the hnswlib label
    std::string clip_id;
    std::vector<float> vector;
};

struct VectorSpace::Impl {
    explicit Impl(std::size_t dimension, const IndexSettings& settings);
    ~Impl();

    // All below: the caller holds `mutex` exclusively, except save() and the const readers (shared).
    void reset();
    /// Adds rows (label = seq); a clip's previous label is marked deleted. Parallel for large batches.
    void addRows(std::vector<EmbeddingRow>& rows);
    /// Marks labels deleted; returns how many were live.
    std::size_t removeLabels(const std::vector<std::size_t>& labels);
    void save(const std::filesystem::path& file) const;
    /// Loads a saved graph; `labels` are the live (label, clip) pairs the sidecar recorded. False when the
    /// file does not match them (then the space is empty again).
    bool load(const std::filesystem::path& file, const std::vector<std::pair<std::size_t, std::string>>& labels);
    std::size_t deletedCount() const;
    std::size_t live() const { return clip_of.size(); }

    std::size_t dimension;
    IndexSettings settings;
    std::unique_ptr<hnswlib::InnerProductSpace> metric;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
    std::unordered_map<std::size_t, std::string> clip_of;  ///< live labels only
    std::unordered_map<std::string, std::size_t> label_of;

    mutable std::shared_mutex mutex;
    std::mutex persist_mutex;
    std::int64_t last_seq = 0;      ///< highest seq added
    std::int64_t checked_max = -1;  ///< catalog MAX(seq) at the last sync
    std::chrono::steady_clock::time_point last_reconcile{};
    std::chrono::steady_clock::time_point last_persist{};  ///< guarded by persist_mutex
    bool reconcile_requested = true;
    std::atomic<bool> dirty{false};
    std::string source = "built";  ///< "built" from the catalog or "disk"
    std::size_t added = 0, removed = 0;
    std::string index_file;  ///< guarded by persist_mutex; file name of the saved graph, beside the sidecar
};

}  // namespace vectors
