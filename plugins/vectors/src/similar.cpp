// similar: clips like a given clip by its stored vectors (RR's modes, inventory §4.6).
#include <algorithm>
#include <unordered_map>

#include "backends.hpp"
#include "query_support.hpp"

namespace vectors {
namespace {

/// The model of the clip's newest vector of `kind`, or "" when it has none.
std::string modelOf(const clipdex::Context& ctx, const std::string& clip_id, const std::string& kind) {
    const json rows = ctx.host().catalog().query(
        ctx, "SELECT model FROM clip_embeddings WHERE clip_id = :id AND kind = :kind ORDER BY seq DESC LIMIT 1",
        {{"id", clip_id}, {"kind", kind}});
    return rows.empty() ? std::string() : rows[0]["model"].get<std::string>();
}

[[noreturn]] void noVectors(const std::string& clip_id, const std::string& what) {
    const std::string hint = "run `clipdex ingest --generate-embeddings` on its folder or `clipdex search reembed`";
    throw clipdex::Error(CDX_E_UNAVAILABLE, "clip " + clip_id + " has no " + what + " embeddings; " + hint,
                         {{"code", "EMBEDDINGS_MISSING"}, {"hint", hint}, {"clip_id", clip_id}});
}

struct Source {
    std::shared_ptr<VectorSpace> space;
    std::vector<float> vector;
};

Source sourceIn(const clipdex::Context& ctx, VectorIndex& index, const std::string& clip_id, const std::string& kind,
                const std::string& model) {
    Source out;
    if (model.empty()) return out;
    out.space = index.space(ctx, kind, model);
    if (out.space)
        if (auto v = out.space->vectorOf(clip_id)) out.vector = std::move(*v);
    if (out.vector.empty()) out.space.reset();
    return out;
}

/// Candidate clips: everything when the space is searched exactly, else the `pool` nearest.
void collect(const Source& source, std::size_t pool, std::size_t ef, const std::unordered_set<std::string>* allowed,
             std::unordered_map<std::string, int>& candidates) {
    if (!source.space) return;
    const std::size_t k = source.space->exact() ? source.space->size() : pool;
    for (const Neighbour& hit : source.space->nearest(source.vector, k, allowed, ef))
        candidates.emplace(hit.clip_id, 0);
}

double similarityIn(const Source& source, const std::string& clip_id) {
    return source.space ? source.space->similarity(source.vector, clip_id).value_or(0) : 0;
}

}  // namespace

json similarSearch(const json& query, clipdex::Context& ctx, const Settings& settings, VectorIndex& index) {
    const auto start = std::chrono::steady_clock::now();
    const json id_arg = query.value("clip_id", json());
    if (!id_arg.is_string())
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "similar needs \"clip_id\"", {{"field", "clip_id"}});
    const std::string clip_id = resolveClipId(ctx, id_arg.get<std::string>());
    const std::string mode = query.value("mode", std::string("text"));
    if (mode != "text" && mode != "visual" && mode != "combined")
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "mode must be text, visual or combined", {{"field", "mode"}});
    const Paging page = paging(query, settings, 5);
    const double default_threshold = mode == "text"     ? settings.similar_text_threshold
                                     : mode == "visual" ? settings.similar_visual_threshold
                                                        : settings.similar_combined_threshold;
    const double threshold = number(query, "threshold", default_threshold);
    const Filters filters = applyFilters(ctx, query.value("filters", json::object()));
    const auto* allowed = filters.allowed ? &*filters.allowed : nullptr;

    const std::string text_model = mode == "visual" ? "" : modelOf(ctx, clip_id, "summary");
    const std::string visual_model = mode == "text" ? "" : modelOf(ctx, clip_id, "visual");
    const Source summary = sourceIn(ctx, index, clip_id, "summary", text_model);
    const Source keyword = sourceIn(ctx, index, clip_id, "keyword", text_model);
    const Source visual = sourceIn(ctx, index, clip_id, "visual", visual_model);
    if (mode != "visual" && !summary.space && !keyword.space) noVectors(clip_id, "text");
    if (mode == "visual" && !visual.space) noVectors(clip_id, "visual (thumbnail)");

    const std::size_t pool = std::max<std::size_t>(10 * (page.limit + page.offset + 1), 100);
    std::unordered_map<std::string, int> candidates;
    const std::size_t ef = settings.index.ef_similar;
    collect(summary, pool, ef, allowed, candidates);
    collect(keyword, pool, ef, allowed, candidates);
    collect(visual, pool, ef, allowed, candidates);
    candidates.erase(clip_id);

    struct Row {
        std::string id;
        double score, text, visual;
    };
    std::vector<Row> rows;
    for (const auto& [id, unused] : candidates) {
        const double text = settings.text_summary_weight * similarityIn(summary, id) +
                            settings.text_keyword_weight * similarityIn(keyword, id);
        const double vis = similarityIn(visual, id);
        double score = text;
        if (mode == "visual") score = vis;
        // Combined without a visual vector for the source falls back to text alone.
        if (mode == "combined" && visual.space)
            score = settings.combined_text_factor * text + settings.combined_visual_factor * vis;
        if (score >= threshold) rows.push_back({id, score, text, vis});
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.score != b.score ? a.score > b.score : a.id < b.id; });
    std::vector<std::string> ids;
    std::vector<json> extra;
    for (std::size_t i = page.offset; i < rows.size() && ids.size() < page.limit; ++i) {
        ids.push_back(rows[i].id);
        json fields{{"similarity_score", rows[i].score}, {"score", rows[i].score}};
        if (mode != "visual") fields["text_similarity"] = rows[i].text;
        if (mode != "text" && visual.space) fields["visual_similarity"] = rows[i].visual;
        extra.push_back(std::move(fields));
    }
    const std::size_t emitted = emitHits(ctx, index, ids, std::move(extra));
    json stats = json::array();
    for (const Source* source : {&summary, &keyword, &visual})
        if (source->space) stats.push_back(source->space->stats());
    json out{{"total", rows.size()},
             {"returned", emitted},
             {"limit", page.limit},
             {"offset", page.offset},
             {"took_ms", millisecondsSince(start)},
             {"clip_id", clip_id},
             {"mode", mode},
             {"threshold", threshold},
             {"index", stats},
             {"filters", {{"applied", filters.applied}}}};
    if (mode == "combined" && !visual.space) out["visual_available"] = false;
    if (!text_model.empty()) out["model"] = text_model;
    if (!visual_model.empty()) out["visual_model"] = visual_model;
    return out;
}

}  // namespace vectors
