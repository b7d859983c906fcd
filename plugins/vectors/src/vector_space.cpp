// The one translation unit that includes hnswlib (header-only; NO_MANUAL_VECTORIZATION comes from the ASan
// preset, cmake/Warnings.cmake).
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "space_impl.hpp"
#include "vector_codec.hpp"

namespace vectors {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;

constexpr std::size_t kInitialCapacity = 1024;

/// Keeps the k best (highest similarity) pairs.
void keepTop(std::vector<Neighbour>& hits, std::size_t k) {
    auto better = [](const Neighbour& a, const Neighbour& b) {
        return a.similarity != b.similarity ? a.similarity > b.similarity : a.clip_id < b.clip_id;
    };
    if (hits.size() > k) {
        std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), better);
        hits.resize(k);
    } else {
        std::sort(hits.begin(), hits.end(), better);
    }
}

/// hnswlib's searchKnn with the beam width (ef) of this query instead of the graph-wide ef_, so callers with
/// different recall needs can share one graph concurrently. Returns (distance, label), any order.
std::vector<std::pair<float, hnswlib::labeltype>> knn(const Graph& graph, const float* query, std::size_t k,
                                                      std::size_t ef) {
    std::vector<std::pair<float, hnswlib::labeltype>> out;
    if (graph.cur_element_count == 0 || k == 0) return out;
    hnswlib::tableint current = graph.enterpoint_node_;
    float best = graph.fstdistfunc_(query, graph.getDataByInternalId(current), graph.dist_func_param_);
    for (int level = graph.maxlevel_; level > 0; --level) {
        for (bool changed = true; changed;) {
            changed = false;
            auto* links = reinterpret_cast<hnswlib::linklistsizeint*>(graph.get_linklist(current, level));
            const auto count = graph.getListCount(links);
            const auto* neighbours = reinterpret_cast<const hnswlib::tableint*>(links + 1);
            for (unsigned i = 0; i < count; ++i) {
                const float d =
                    graph.fstdistfunc_(query, graph.getDataByInternalId(neighbours[i]), graph.dist_func_param_);
                if (d < best) {
                    best = d;
                    current = neighbours[i];
                    changed = true;
                }
            }
        }
    }
    const std::size_t beam = std::max(ef, k);
    auto top = graph.num_deleted_ ? graph.searchBaseLayerST<true>(current, query, beam)
                                  : graph.searchBaseLayerST<false>(current, query, beam);
    while (top.size() > k) top.pop();
    for (; !top.empty(); top.pop()) out.emplace_back(top.top().first, graph.getExternalLabel(top.top().second));
    return out;
}

/// Reads a saved graph. hnswlib 0.6's loading constructor leaves num_deleted_ (and, until loadIndex gets to them,
/// the buffers) uninitialised and loadIndex only increments the count, so a load yielded a garbage count of
/// deleted elements: 0 by luck in release builds, ASan's 0xbe fill in Debug ones, where sync() took the graph
/// for mostly tombstones and rebuilt it. Every member the loader or destructor reads starts defined here.
std::unique_ptr<Graph> loadGraph(hnswlib::InnerProductSpace& metric, const std::string& file) {
    auto graph = std::make_unique<Graph>(&metric);
    graph->num_deleted_ = 0;
    graph->cur_element_count = 0;
    graph->data_level0_memory_ = nullptr;
    graph->linkLists_ = nullptr;
    graph->visited_list_pool_ = nullptr;
    try {
        graph->loadIndex(file, &metric);
    } catch (...) {
        if (graph->linkLists_ == nullptr) graph->cur_element_count = 0;  // the destructor frees only what exists
        throw;
    }
    return graph;
}

}  // namespace

VectorSpace::Impl::Impl(std::size_t dim, const IndexSettings& s)
    : dimension(dim), settings(s), metric(std::make_unique<hnswlib::InnerProductSpace>(dim)) {
    reset();
}

VectorSpace::Impl::~Impl() = default;

void VectorSpace::Impl::reset() {
    graph = std::make_unique<Graph>(metric.get(), kInitialCapacity, settings.m, settings.ef_construction);
    graph->setEf(settings.ef_search);
    clip_of.clear();
    label_of.clear();
    last_seq = 0;
    checked_max = -1;
    dirty = true;
}

void VectorSpace::Impl::addRows(std::vector<EmbeddingRow>& rows) {
    if (rows.empty()) return;
    // Replacements first, so a clip never has two live labels.
    for (const EmbeddingRow& row : rows) {
        if (const auto it = label_of.find(row.clip_id); it != label_of.end()) {
            graph->markDelete(it->second);
            clip_of.erase(it->second);
            label_of.erase(it);
            ++removed;
        }
        last_seq = std::max(last_seq, row.seq);
    }
    // A later row of the same clip in this batch wins.
    std::unordered_map<std::string, std::size_t> latest;
    for (std::size_t i = 0; i < rows.size(); ++i) latest[rows[i].clip_id] = i;
    std::vector<const EmbeddingRow*> todo;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (latest[rows[i].clip_id] == i && rows[i].vector.size() == dimension) todo.push_back(&rows[i]);
    const std::size_t needed = graph->cur_element_count + todo.size();
    if (needed > graph->max_elements_) graph->resizeIndex(std::max(needed, graph->max_elements_ * 2));
    auto insert = [&](const EmbeddingRow& row) {
        graph->addPoint(row.vector.data(), static_cast<hnswlib::labeltype>(row.seq));
    };
    const unsigned threads = std::min<unsigned>(std::max(1U, std::thread::hardware_concurrency()), 8U);
    if (todo.size() < 2000 || threads == 1) {
        for (const EmbeddingRow* row : todo) insert(*row);
    } else {
        std::atomic<std::size_t> next{0};
        std::vector<std::thread> workers;
        for (unsigned t = 0; t < threads; ++t)
            workers.emplace_back([&] {
                for (std::size_t i = next++; i < todo.size(); i = next++) insert(*todo[i]);
            });
        for (auto& worker : workers) worker.join();
    }
    for (const EmbeddingRow* row : todo) {
        clip_of[static_cast<std::size_t>(row->seq)] = row->clip_id;
        label_of[row->clip_id] = static_cast<std::size_t>(row->seq);
    }
    added += todo.size();
    dirty = true;
}

std::size_t VectorSpace::Impl::removeLabels(const std::vector<std::size_t>& labels) {
    std::size_t count = 0;
    for (const std::size_t label : labels) {
        const auto it = clip_of.find(label);
        if (it == clip_of.end()) continue;
        graph->markDelete(label);
        label_of.erase(it->second);
        clip_of.erase(it);
        ++count;
    }
    removed += count;
    if (count) dirty = true;
    return count;
}

std::size_t VectorSpace::Impl::deletedCount() const {
    return graph->num_deleted_;
}

void VectorSpace::Impl::save(const std::filesystem::path& file) const {
    graph->saveIndex(file.string());
}

bool VectorSpace::Impl::load(const std::filesystem::path& file,
                             const std::vector<std::pair<std::size_t, std::string>>& labels) {
    try {
        auto loaded = loadGraph(*metric, file.string());
        if (loaded->data_size_ != metric->get_data_size()) throw std::runtime_error("dimension differs");
        std::unordered_map<std::size_t, std::string> live;
        for (const auto& [label, clip] : labels) {
            const auto it = loaded->label_lookup_.find(label);
            if (it == loaded->label_lookup_.end() || loaded->isMarkedDeleted(it->second))
                throw std::runtime_error("label missing from the graph");
            live[label] = clip;
        }
        for (std::size_t i = 0; i < loaded->cur_element_count; ++i) {
            const auto id = static_cast<hnswlib::tableint>(i);
            if (!loaded->isMarkedDeleted(id) && live.count(loaded->getExternalLabel(id)) == 0)
                loaded->markDelete(loaded->getExternalLabel(id));
        }
        loaded->setEf(settings.ef_search);
        graph = std::move(loaded);
        clip_of = std::move(live);
        label_of.clear();
        for (const auto& [label, clip] : clip_of) label_of[clip] = label;
        return true;
    } catch (const std::exception&) {
        reset();
        return false;
    }
}

VectorSpace::VectorSpace(std::string kind, std::string model, std::size_t dimension, const IndexSettings& settings)
    : kind_(std::move(kind)),
      model_(std::move(model)),
      dimension_(dimension),
      impl_(std::make_unique<Impl>(dimension, settings)) {}

VectorSpace::~VectorSpace() = default;

std::size_t VectorSpace::size() const {
    std::shared_lock lock(impl_->mutex);
    return impl_->live();
}

bool VectorSpace::exact() const {
    return size() < impl_->settings.exact_below;
}

std::vector<Neighbour> VectorSpace::nearest(const std::vector<float>& query, std::size_t k,
                                            const std::unordered_set<std::string>* allowed, std::size_t ef) const {
    std::vector<Neighbour> hits;
    if (query.size() != dimension_ || k == 0) return hits;
    std::shared_lock lock(impl_->mutex);
    const Graph& graph = *impl_->graph;
    const std::size_t live = impl_->live();
    auto scan = [&](auto&& accept) {
        for (std::size_t i = 0; i < graph.cur_element_count; ++i) {
            const auto id = static_cast<hnswlib::tableint>(i);
            if (graph.isMarkedDeleted(id)) continue;
            const auto found = impl_->clip_of.find(graph.getExternalLabel(id));
            if (found == impl_->clip_of.end() || !accept(found->second)) continue;
            const auto* data = reinterpret_cast<const float*>(graph.getDataByInternalId(id));
            hits.push_back({found->second, dot(query.data(), data, dimension_)});
        }
    };
    if (allowed != nullptr && allowed->size() < impl_->settings.exact_below) {
        for (const std::string& clip : *allowed) {
            const auto label = impl_->label_of.find(clip);
            if (label == impl_->label_of.end()) continue;
            const auto id = graph.label_lookup_.find(label->second);
            if (id == graph.label_lookup_.end()) continue;
            const auto* data = reinterpret_cast<const float*>(graph.getDataByInternalId(id->second));
            hits.push_back({clip, dot(query.data(), data, dimension_)});
        }
    } else if (live < impl_->settings.exact_below) {
        scan([&](const std::string& clip) { return allowed == nullptr || allowed->count(clip) != 0; });
    } else {
        // Approximate: widen the search until enough hits pass the filter, else fall back to a scan.
        for (std::size_t want = allowed ? k * 4 : k;; want *= 4) {
            hits.clear();
            const std::size_t beam = ef != 0 ? ef : impl_->settings.ef_search;
            for (const auto& [distance, label] : knn(graph, query.data(), std::min(want, live), beam)) {
                const auto clip = impl_->clip_of.find(label);
                if (clip != impl_->clip_of.end() && (allowed == nullptr || allowed->count(clip->second) != 0))
                    hits.push_back({clip->second, 1.0F - distance});
            }
            if (hits.size() >= k || want >= live) break;
            if (want * 4 > live / 2) {
                hits.clear();
                scan([&](const std::string& clip) { return allowed == nullptr || allowed->count(clip) != 0; });
                break;
            }
        }
    }
    keepTop(hits, k);
    return hits;
}

std::optional<std::vector<float>> VectorSpace::vectorOf(const std::string& clip_id) const {
    std::shared_lock lock(impl_->mutex);
    const auto label = impl_->label_of.find(clip_id);
    if (label == impl_->label_of.end()) return std::nullopt;
    const auto id = impl_->graph->label_lookup_.find(label->second);
    if (id == impl_->graph->label_lookup_.end()) return std::nullopt;
    const auto* data = reinterpret_cast<const float*>(impl_->graph->getDataByInternalId(id->second));
    return std::vector<float>(data, data + dimension_);
}

std::optional<float> VectorSpace::similarity(const std::vector<float>& query, const std::string& clip_id) const {
    if (query.size() != dimension_) return std::nullopt;
    std::shared_lock lock(impl_->mutex);
    const auto label = impl_->label_of.find(clip_id);
    if (label == impl_->label_of.end()) return std::nullopt;
    const auto id = impl_->graph->label_lookup_.find(label->second);
    if (id == impl_->graph->label_lookup_.end()) return std::nullopt;
    return dot(query.data(), reinterpret_cast<const float*>(impl_->graph->getDataByInternalId(id->second)), dimension_);
}

json VectorSpace::stats() const {
    std::shared_lock lock(impl_->mutex);
    return {{"kind", kind_},
            {"model", model_},
            {"dimension", dimension_},
            {"size", impl_->live()},
            {"exact", impl_->live() < impl_->settings.exact_below},
            {"source", impl_->source},
            {"added", impl_->added},
            {"removed", impl_->removed}};
}

}  // namespace vectors
