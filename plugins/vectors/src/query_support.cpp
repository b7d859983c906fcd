#include "query_support.hpp"

#include <algorithm>

#include "vector_codec.hpp"

namespace vectors {

Paging paging(const json& query, const Settings& settings, std::size_t default_limit) {
    Paging out;
    out.limit = default_limit;
    if (const json limit = query.value("limit", json()); limit.is_number_integer() && limit.get<long long>() > 0)
        out.limit = static_cast<std::size_t>(limit.get<long long>());
    out.limit = std::min(out.limit, settings.max_limit);
    if (const json offset = query.value("offset", json()); offset.is_number_integer() && offset.get<long long>() > 0)
        out.offset = static_cast<std::size_t>(offset.get<long long>());
    return out;
}

double number(const json& query, const char* key, double fallback) {
    if (const json value = query.value(key, json()); value.is_number()) return value.get<double>();
    if (const json weights = query.value("weights", json()); weights.is_object())
        if (const json value = weights.value(key, json()); value.is_number()) return value.get<double>();
    return fallback;
}

std::string queryText(const json& query) {
    const json q = query.value("q", json());
    if (!q.is_string() || q.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "the search needs a non-empty \"q\"", {{"field", "q"}});
    return q.get<std::string>();
}

QueryVectors embedQuery(const clipdex::Context& ctx, const std::string& q) {
    const json answer = ctx.host().embed(
        ctx, "", {{"kind", "text"}, {"purpose", "query"}, {"inputs", {"Video content about: " + q, q}}});
    const json& list = answer.at("vectors");
    if (!list.is_array() || list.size() != 2)
        throw clipdex::Error(CDX_E_INTERNAL, "the text embedding provider did not return two query vectors");
    QueryVectors out{answer.at("model").get<std::string>(), list[0].get<std::vector<float>>(),
                     list[1].get<std::vector<float>>()};
    if (!normalise(out.summary) || !normalise(out.keyword))
        throw clipdex::Error(CDX_E_INTERNAL, "the text embedding provider returned a zero query vector");
    return out;
}

std::shared_ptr<VectorSpace> requireSpace(const clipdex::Context& ctx, VectorIndex& index, const std::string& kind,
                                          const std::string& model) {
    if (auto space = index.space(ctx, kind, model)) return space;
    const json other = ctx.host().catalog().query(
        ctx,
        "SELECT model, COUNT(*) AS n FROM clip_embeddings WHERE kind = :kind GROUP BY model ORDER BY n DESC LIMIT 1",
        {{"kind", kind}});
    const std::string hint = "run `clipdex search reembed` (or ingest with --generate-embeddings)";
    if (other.empty())
        throw clipdex::Error(CDX_E_UNAVAILABLE, "no clip has " + kind + " embeddings yet; " + hint,
                             {{"code", "EMBEDDINGS_MISSING"}, {"hint", hint}, {"model", model}});
    throw clipdex::Error(CDX_E_UNAVAILABLE,
                         "the catalog has no " + kind + " embeddings for the model '" + model + "' (it has " +
                             other[0]["model"].get<std::string>() + "); " + hint,
                         {{"code", "EMBEDDINGS_MISSING"}, {"hint", hint}, {"model", model}});
}

std::size_t emitHits(clipdex::Context& ctx, VectorIndex& index, const std::vector<std::string>& ids,
                     std::vector<json> extra) {
    const auto rows = resultRows(ctx, ids);
    std::size_t emitted = 0;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto row = rows.find(ids[i]);
        if (row == rows.end()) {
            index.requestReconcile();  // its vectors outlived the clip in our index
            continue;
        }
        json hit = row->second;
        for (auto& [key, value] : extra[i].items()) hit[key] = std::move(value);
        ctx.emit(hit);
        ++emitted;
    }
    return emitted;
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace vectors
