#include "vector_index.hpp"

#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>
#include <unordered_set>

#include "space_impl.hpp"
#include "vector_codec.hpp"

namespace vectors {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kCatalogIdKey = "clipdex.vectors.catalog_id";
constexpr int kSidecarFormat = 1;
constexpr std::int64_t kBatch = 2000;

std::string randomHex(std::size_t bytes) {
    static thread_local std::mt19937_64 engine{std::random_device{}()};
    std::string out;
    char buffer[3];
    for (std::size_t i = 0; i < bytes; ++i) {
        std::snprintf(buffer, sizeof buffer, "%02x", static_cast<unsigned>(engine() & 0xFF));
        out += buffer;
    }
    return out;
}

/// A file-name-safe, stable name for a (kind, model) space.
std::string spaceFileBase(const std::string& kind, const std::string& model) {
    std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
    for (const char c : model) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    std::string safe;
    for (const char c : model) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
    if (safe.size() > 48) safe.resize(48);
    char suffix[20];
    std::snprintf(suffix, sizeof suffix, "%08llx", static_cast<unsigned long long>(hash & 0xFFFFFFFFULL));
    return kind + "--" + safe + "-" + suffix;
}

std::int64_t integer(const json& row, const char* key) {
    const auto it = row.find(key);
    return it != row.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

void writeAtomically(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.string() + ".tmp" + randomHex(4);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

}  // namespace

VectorIndex::VectorIndex(const clipdex::Host& host, IndexSettings settings) : host_(host), settings_(settings) {}

VectorIndex::~VectorIndex() {
    // Save what changed since the last save; a failure only costs a rebuild next time.
    for (auto& [key, space] : spaces_) {
        try {
            persist(*space, false);
        } catch (const std::exception& error) {
            host_.log(CDX_LOG_WARN, std::string("vector index not saved: ") + error.what());
        }
    }
}

void VectorIndex::persist(VectorSpace& space, bool throttled) {
    auto& impl = *space.impl_;
    std::scoped_lock save_lock(impl.persist_mutex);
    std::shared_lock read(impl.mutex);
    if (!impl.dirty || catalog_id_.empty()) return;
    // Small spaces are saved at once; large ones at most every persist_seconds (and when the plugin stops).
    const double since = std::chrono::duration<double>(Clock::now() - impl.last_persist).count();
    if (throttled && impl.live() >= settings_.exact_below && since < settings_.persist_seconds) return;
    const fs::path dir = directory();
    fs::create_directories(dir);
    const std::string base = spaceFileBase(space.kind(), space.model());
    const std::string index_file = base + "." + randomHex(6) + ".hnsw";
    impl.save(dir / index_file);
    json labels = json::array();
    for (const auto& [label, clip] : impl.clip_of) labels.push_back(json::array({label, clip}));
    const json sidecar{{"format", kSidecarFormat},
                       {"catalog_id", catalog_id_},
                       {"kind", space.kind()},
                       {"model", space.model()},
                       {"dimension", space.dimension()},
                       {"last_seq", impl.last_seq},
                       {"m", settings_.m},
                       {"ef_construction", settings_.ef_construction},
                       {"index_file", index_file},
                       {"labels", std::move(labels)}};
    writeAtomically(dir / (base + ".json"), sidecar.dump());
    std::error_code ignored;
    if (!impl.index_file.empty() && impl.index_file != index_file) fs::remove(dir / impl.index_file, ignored);
    impl.index_file = index_file;
    impl.last_persist = Clock::now();
    impl.dirty = false;
}

std::string VectorIndex::catalogId(const clipdex::Context& ctx) {
    {
        std::lock_guard lock(mutex_);
        if (!catalog_id_.empty()) return catalog_id_;
    }
    // The catalog's identity keys the saved indexes, so another catalog never reuses them.
    const auto catalog = host_.catalog();
    const std::string sql = "SELECT value FROM catalog_info WHERE key = :key";
    json rows = catalog.query(ctx, sql, {{"key", kCatalogIdKey}});
    if (rows.empty()) {
        catalog.transaction(ctx,
                            json::array({{{"sql", "INSERT OR IGNORE INTO catalog_info (key, value) VALUES (:key, :id)"},
                                          {"params", {{"key", kCatalogIdKey}, {"id", randomHex(16)}}}}}));
        rows = catalog.query(ctx, sql, {{"key", kCatalogIdKey}});
    }
    if (rows.empty() || !rows[0]["value"].is_string())
        throw clipdex::Error(CDX_E_INTERNAL, "cannot record the catalog id in catalog_info");
    std::lock_guard lock(mutex_);
    catalog_id_ = rows[0]["value"].get<std::string>();
    return catalog_id_;
}

std::string VectorIndex::directory() const {
    return (fs::path(std::string(host_.stateDir())) / "index" / catalog_id_).string();
}

void VectorIndex::requestReconcile() {
    std::lock_guard lock(mutex_);
    for (auto& [key, space] : spaces_) {
        std::unique_lock space_lock(space->impl_->mutex);
        space->impl_->reconcile_requested = true;
    }
}

json VectorIndex::describe() const {
    std::lock_guard lock(mutex_);
    json out = json::array();
    for (const auto& [key, space] : spaces_) out.push_back(space->stats());
    return out;
}

std::shared_ptr<VectorSpace> VectorIndex::space(const clipdex::Context& ctx, const std::string& kind,
                                                const std::string& model) {
    std::shared_ptr<VectorSpace> space;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = spaces_.find({kind, model}); it != spaces_.end()) space = it->second;
    }
    if (!space) {
        const json rows = host_.catalog().query(
            ctx, "SELECT dimension FROM clip_embeddings WHERE kind = :kind AND model = :model LIMIT 1",
            {{"kind", kind}, {"model", model}});
        if (rows.empty()) return nullptr;
        const auto dimension = static_cast<std::size_t>(integer(rows[0], "dimension"));
        if (dimension == 0) return nullptr;
        const std::string id = catalogId(ctx);
        auto fresh = std::make_shared<VectorSpace>(kind, model, dimension, settings_);
        // A saved graph of this catalog and model, if its sidecar agrees.
        const fs::path dir = directory();
        const fs::path sidecar_path = dir / (spaceFileBase(kind, model) + ".json");
        std::ifstream in(sidecar_path);
        const json sidecar = in ? json::parse(in, nullptr, false) : json();
        auto& impl = *fresh->impl_;
        if (sidecar.is_object() && sidecar.value("format", 0) == kSidecarFormat &&
            sidecar.value("catalog_id", "") == id && sidecar.value("kind", "") == kind &&
            sidecar.value("model", "") == model && sidecar.value("dimension", std::size_t{0}) == dimension &&
            sidecar.value("m", std::size_t{0}) == settings_.m &&
            sidecar.value("ef_construction", std::size_t{0}) == settings_.ef_construction &&
            sidecar.contains("labels") && sidecar["labels"].is_array()) {
            std::vector<std::pair<std::size_t, std::string>> labels;
            for (const json& pair : sidecar["labels"])
                labels.emplace_back(pair[0].get<std::size_t>(), pair[1].get<std::string>());
            const std::string file = sidecar.value("index_file", "");
            if (!file.empty() && impl.load(dir / file, labels)) {
                impl.last_seq = sidecar.value("last_seq", std::int64_t{0});
                impl.checked_max = impl.last_seq;
                impl.source = "disk";
                impl.index_file = file;
                impl.dirty = false;
                impl.reconcile_requested = true;
            }
        }
        std::lock_guard lock(mutex_);
        auto [it, inserted] = spaces_.try_emplace({kind, model}, fresh);
        space = it->second;
    }
    sync(ctx, *space);
    return space;
}

void VectorIndex::touch(const clipdex::Context& ctx, const std::string& kind, const std::string& model) {
    bool known = false;
    {
        std::lock_guard lock(mutex_);
        known = spaces_.count({kind, model}) != 0;
    }
    if (!known) {
        if (catalogId(ctx).empty()) return;
        std::error_code ignored;
        known = fs::exists(fs::path(directory()) / (spaceFileBase(kind, model) + ".json"), ignored);
    }
    if (known) space(ctx, kind, model);
}

void VectorIndex::sync(const clipdex::Context& ctx, VectorSpace& space) {
    auto& impl = *space.impl_;
    const auto catalog = host_.catalog();
    const json max_rows = catalog.query(ctx, "SELECT MAX(seq) AS s FROM clip_embeddings");
    const std::int64_t max_seq = max_rows.empty() ? 0 : integer(max_rows[0], "s");
    const json key{{"kind", space.kind()}, {"model", space.model()}};
    const auto now = Clock::now();
    {
        std::shared_lock lock(impl.mutex);
        const bool stale =
            std::chrono::duration<double>(now - impl.last_reconcile).count() >= settings_.reconcile_seconds;
        if (max_seq <= impl.checked_max && !impl.reconcile_requested && !stale && max_seq >= impl.last_seq) return;
    }
    std::unique_lock lock(impl.mutex);
    if (max_seq < impl.last_seq) impl.reset();  // rows vanished above our mark: another catalog, start over
    // Mostly tombstones: rebuild compactly from the catalog.
    if (impl.deletedCount() > 1000 && impl.deletedCount() > impl.live()) impl.reset();
    std::size_t changes = 0;
    while (max_seq > impl.checked_max && impl.last_seq < max_seq) {
        ctx.throwIfCancelled();
        json params = key;
        params["last"] = impl.last_seq;
        params["batch"] = kBatch;
        const json rows = catalog.query(ctx,
                                        "SELECT seq, clip_id, vector FROM clip_embeddings WHERE kind = :kind AND "
                                        "model = :model AND seq > :last ORDER BY seq LIMIT :batch",
                                        params);
        if (rows.empty()) break;
        std::vector<EmbeddingRow> batch;
        batch.reserve(rows.size());
        for (const json& row : rows) {
            EmbeddingRow item{integer(row, "seq"), row.value("clip_id", ""), {}};
            try {
                item.vector = decodeVector(row.value("vector", ""), space.dimension());
            } catch (const std::invalid_argument& error) {
                ctx.warn("clip_embeddings seq " + std::to_string(item.seq) + " skipped: " + error.what());
            }
            impl.last_seq = std::max(impl.last_seq, item.seq);
            batch.push_back(std::move(item));
        }
        impl.addRows(batch);
        changes += batch.size();
        if (changes % 20000 < batch.size())  // a first build of a large space takes minutes: say so
            ctx.info("vector index " + space.kind() + "/" + space.model() + ": " + std::to_string(changes) +
                     " vectors added");
        if (rows.size() < static_cast<std::size_t>(kBatch)) break;
    }
    impl.checked_max = std::max(impl.checked_max, max_seq);
    const bool stale = std::chrono::duration<double>(now - impl.last_reconcile).count() >= settings_.reconcile_seconds;
    if (impl.reconcile_requested || stale) {
        const json count =
            catalog.query(ctx, "SELECT COUNT(*) AS n FROM clip_embeddings WHERE kind = :kind AND model = :model", key);
        const auto rows_now = static_cast<std::size_t>(count.empty() ? 0 : integer(count[0], "n"));
        if (rows_now != impl.live()) {
            const json seqs =
                catalog.query(ctx, "SELECT seq FROM clip_embeddings WHERE kind = :kind AND model = :model", key);
            std::unordered_set<std::size_t> present;
            for (const json& row : seqs) present.insert(static_cast<std::size_t>(integer(row, "seq")));
            std::vector<std::size_t> gone;
            for (const auto& [label, clip] : impl.clip_of)
                if (present.count(label) == 0) gone.push_back(label);
            changes += impl.removeLabels(gone);
        }
        impl.reconcile_requested = false;
        impl.last_reconcile = now;
    }
    if (changes == 0 || !impl.dirty) return;
    lock.unlock();
    try {
        persist(space, changes < settings_.exact_below);  // a (re)build is saved at once
    } catch (const std::exception& error) {
        ctx.warn(std::string("vector index not saved (it is rebuilt when needed): ") + error.what());
    }
}

}  // namespace vectors
