// clipdex.vectors: generate_embeddings_step, the semantic / hybrid / similar search backends and
// `search reembed`. Built only through the public SDK.
#include <chrono>
#include <clipdex/plugin.hpp>

#include "backends.hpp"
#include "clip_embedder.hpp"
#include "clip_rows.hpp"
#include "query_support.hpp"
#include "settings.hpp"
#include "vector_index.hpp"

namespace vectors {
namespace {

void touchSpaces(const clipdex::Context& ctx, VectorIndex& index, const std::vector<ClipEmbedding>& done) {
    std::vector<std::pair<std::string, std::string>> spaces;
    auto note = [&spaces](const std::string& kind, const std::string& model) {
        if (!model.empty() && std::find(spaces.begin(), spaces.end(), std::pair{kind, model}) == spaces.end())
            spaces.emplace_back(kind, model);
    };
    for (const ClipEmbedding& clip : done) {
        note("summary", clip.model);
        note("keyword", clip.model);
        note("visual", clip.visual_model);
    }
    for (const auto& [kind, model] : spaces) index.touch(ctx, kind, model);
}

class EmbeddingsStep final : public clipdex::Step {
public:
    EmbeddingsStep(Settings settings, bool visual, VectorIndex& index)
        : settings_(std::move(settings)), visual_(visual), index_(index) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const json clip_id = inputs.value("steps", json::object())
                                 .value("database_storage_step", json::object())
                                 .value("clip_id", json());
        if (!clip_id.is_string())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "database_storage_step gave no clip_id to embed");
        json warnings = json::array();
        const auto done = embedClips(ctx, settings_, {clip_id.get<std::string>()}, visual_, warnings);
        if (done.empty())
            throw clipdex::Error(CDX_E_NOT_FOUND, "clip " + clip_id.get<std::string>() + " is not in the catalog");
        for (const json& warning : warnings) ctx.warn(warning.get<std::string>());
        try {
            touchSpaces(ctx, index_, done);
        } catch (const clipdex::Error& error) {
            ctx.warn(std::string("vector index not updated (it catches up at the next search): ") + error.what());
        }
        const ClipEmbedding& clip = done.front();
        return {{"embeddings_generated", true},
                {"clip_id", clip.clip_id},
                {"summary_tokens", clip.summary_tokens},
                {"keyword_tokens", clip.keyword_tokens},
                {"token_unit", "words"},
                {"model", clip.model},
                {"dimension", clip.dimension},
                {"thumbnail_embeddings_count", clip.thumbnail_embeddings_count},
                {"visual_model", clip.visual_model.empty() ? json() : json(clip.visual_model)},
                {"truncation_applied", clip.truncation_applied},
                {"summary_truncation", clip.summary_truncation},
                {"keyword_truncation", clip.keyword_truncation},
                {"warnings", warnings}};
    }

private:
    Settings settings_;
    bool visual_;
    VectorIndex& index_;
};

json reembed(const json& args, clipdex::Context& ctx, const Settings& settings, VectorIndex& index) {
    const auto start = std::chrono::steady_clock::now();
    const bool force = args.value("force", false);
    const auto batch_size = static_cast<std::size_t>(std::max<long long>(1, args.value("batch_size", 16LL)));
    const auto limit = static_cast<std::size_t>(std::max<long long>(0, args.value("limit", 0LL)));
    json warnings = json::array();
    bool visual = args.value("visual", true);
    // The configured model: what a document embedding is answered with now.
    const json probe = ctx.host().embed(ctx, "", {{"kind", "text"}, {"purpose", "document"}, {"inputs", {"clipdex"}}});
    const std::string model = probe.at("model").get<std::string>();
    // The caller's own clips (an admin's: all).
    json params = force ? json::object() : json{{"model", model}};
    const std::string visible = visibleClips(ctx, params);
    const std::string sql =
        force ? "SELECT id FROM clips WHERE " + visible + " ORDER BY rowid"
              : "SELECT id FROM clips c WHERE " + visible +
                    " AND (NOT EXISTS (SELECT 1 FROM clip_embeddings e WHERE e.clip_id = c.id AND "
                    "e.kind = 'summary' AND e.model = :model) OR NOT EXISTS (SELECT 1 FROM clip_embeddings e WHERE "
                    "e.clip_id = c.id AND e.kind = 'keyword' AND e.model = :model)) ORDER BY c.rowid";
    std::vector<std::string> ids;
    for (const json& row : ctx.host().catalog().query(ctx, sql, params))
        if (limit == 0 || ids.size() < limit) ids.push_back(row["id"].get<std::string>());
    std::size_t embedded = 0, visuals = 0;
    std::vector<ClipEmbedding> all;
    for (std::size_t begin = 0; begin < ids.size(); begin += batch_size) {
        ctx.throwIfCancelled();
        ctx.progress(static_cast<double>(begin) / static_cast<double>(ids.size()),
                     "embedded " + std::to_string(begin) + " of " + std::to_string(ids.size()) + " clips");
        const std::vector<std::string> batch(
            ids.begin() + static_cast<std::ptrdiff_t>(begin),
            ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), begin + batch_size)));
        const std::size_t before = warnings.size();
        auto done = embedClips(ctx, settings, batch, visual, warnings);
        if (warnings.size() > before) visual = false;  // the image provider failed once: do not retry per batch
        embedded += done.size();
        for (const auto& clip : done) visuals += clip.thumbnail_embeddings_count > 0;
        all.insert(all.end(), done.begin(), done.end());
    }
    ctx.progress(1.0, "embedded " + std::to_string(embedded) + " clips");
    touchSpaces(ctx, index, all);
    return {{"model", model},
            {"dimension", probe.at("vectors").at(0).size()},
            {"clips_to_embed", ids.size()},
            {"embedded", embedded},
            {"visual_embedded", visuals},
            {"warnings", warnings},
            {"took_ms", millisecondsSince(start)}};
}

class VectorsPlugin final : public clipdex::Plugin {
public:
    explicit VectorsPlugin(const clipdex::Host& host)
        : Plugin(host), settings_(loadSettings(host)), index_(host, settings_.index) {}

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        if (command_id == "search-reembed") return reembed(args, ctx, settings_, index_);
        return Plugin::invoke(command_id, args, ctx);
    }

    std::unique_ptr<clipdex::Step> createStep(std::string_view step_id, const json& config,
                                              clipdex::Context& ctx) override {
        if (step_id != "generate_embeddings_step") return Plugin::createStep(step_id, config, ctx);
        Settings settings = settings_;
        if (const json chars = config.value("truncate_chars", json()); chars.is_number_integer())
            settings.truncate_chars = chars.get<std::size_t>();
        return std::make_unique<EmbeddingsStep>(settings, config.value("visual", true), index_);
    }

    json search(std::string_view backend_id, const json& query, clipdex::Context& ctx) override {
        if (!query.is_object()) throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "a search query must be a JSON object");
        if (backend_id == "semantic") return semanticSearch(query, ctx, settings_, index_);
        if (backend_id == "hybrid") return hybridSearch(query, ctx, settings_, index_);
        if (backend_id == "similar") return similarSearch(query, ctx, settings_, index_);
        return Plugin::search(backend_id, query, ctx);
    }

private:
    Settings settings_;
    VectorIndex index_;
};

}  // namespace
}  // namespace vectors

CLIPDEX_PLUGIN(vectors::VectorsPlugin)
