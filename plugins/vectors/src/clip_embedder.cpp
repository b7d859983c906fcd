#include "clip_embedder.hpp"

#include <chrono>
#include <ctime>

#include "clip_rows.hpp"
#include "embedding_text.hpp"
#include "vector_codec.hpp"

namespace vectors {
namespace {

std::string nowIso() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

/// The vectors of an embedding answer, checked and normalised.
std::vector<std::vector<float>> vectorsOf(const json& answer, std::size_t expected, const char* what) {
    const json& list = answer.at("vectors");
    if (!list.is_array() || list.size() != expected)
        throw clipdex::Error(CDX_E_INTERNAL, std::string("the ") + what + " embedding provider returned " +
                                                 std::to_string(list.size()) + " vectors for " +
                                                 std::to_string(expected) + " inputs");
    std::vector<std::vector<float>> out;
    for (const json& item : list) {
        std::vector<float> v = item.get<std::vector<float>>();
        if (v.empty() || !normalise(v))
            throw clipdex::Error(CDX_E_INTERNAL,
                                 std::string("the ") + what + " embedding provider returned a zero vector");
        out.push_back(std::move(v));
    }
    return out;
}

json rowStatements(const std::string& clip_id, const std::string& kind, const std::string& model,
                   const std::vector<float>& vector, const std::string& source, const std::string& now) {
    const json key{{"clip_id", clip_id}, {"kind", kind}, {"model", model}};
    json insert = key;
    insert["dimension"] = vector.size();
    insert["vector"] = encodeVector(vector);
    insert["source_text"] = source;
    insert["now"] = now;
    return json::array(
        {{{"sql", "DELETE FROM clip_embeddings WHERE clip_id = :clip_id AND kind = :kind AND model = :model"},
          {"params", key}},
         {{"sql",
           "INSERT INTO clip_embeddings (clip_id, kind, model, dimension, vector, source_text, created_at) "
           "VALUES (:clip_id, :kind, :model, :dimension, :vector, :source_text, :now)"},
          {"params", insert}}});
}

}  // namespace

std::vector<ClipEmbedding> embedClips(const clipdex::Context& ctx, const Settings& settings,
                                      const std::vector<std::string>& clip_ids, bool visual, json& warnings) {
    std::vector<ClipEmbedding> results;
    std::vector<ClipFacts> facts;
    json inputs = json::array();
    std::vector<std::string> summaries, keywords;
    for (const std::string& id : clip_ids) {
        auto loaded = loadFacts(ctx, id);
        if (!loaded) continue;
        const Truncated summary = truncateText(summaryText(*loaded), settings.truncate_chars);
        const Truncated keyword = truncateText(keywordText(*loaded), settings.truncate_chars);
        ClipEmbedding result;
        result.clip_id = id;
        result.summary_tokens = wordCount(summary.text);
        result.keyword_tokens = wordCount(keyword.text);
        result.truncation_applied = summary.truncated || keyword.truncated;
        result.summary_truncation = summary.method;
        result.keyword_truncation = keyword.method;
        // An empty text cannot be embedded; the clip's file name always gives the summary something.
        summaries.push_back(summary.text.empty() ? std::string("Video clip") : summary.text);
        keywords.push_back(keyword.text.empty() ? summaries.back() : keyword.text);
        inputs.push_back(summaries.back());
        inputs.push_back(keywords.back());
        results.push_back(std::move(result));
        facts.push_back(std::move(*loaded));
    }
    if (results.empty()) return results;
    ctx.throwIfCancelled();
    const json answer = ctx.host().embed(ctx, "", {{"kind", "text"}, {"purpose", "document"}, {"inputs", inputs}});
    const auto text_vectors = vectorsOf(answer, inputs.size(), "text");
    const std::string model = answer.at("model").get<std::string>();
    const std::string now = nowIso();
    json statements = json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
        results[i].model = model;
        results[i].dimension = text_vectors[2 * i].size();
        for (json& s : rowStatements(results[i].clip_id, "summary", model, text_vectors[2 * i], summaries[i], now))
            statements.push_back(std::move(s));
        for (json& s : rowStatements(results[i].clip_id, "keyword", model, text_vectors[2 * i + 1], keywords[i], now))
            statements.push_back(std::move(s));
    }
    std::string visual_model;
    for (std::size_t i = 0; visual && i < results.size(); ++i) {
        const auto paths = thumbnailPaths(facts[i].clip);
        if (paths.empty()) continue;
        ctx.throwIfCancelled();
        try {
            const json image =
                ctx.host().embed(ctx, "", {{"kind", "image"}, {"purpose", "document"}, {"inputs", paths}});
            const auto mean = meanNormalised(vectorsOf(image, paths.size(), "image"));
            if (mean.empty()) continue;
            visual_model = image.at("model").get<std::string>();
            results[i].thumbnail_embeddings_count = paths.size();
            results[i].visual_model = visual_model;
            std::string source;
            for (const auto& path : paths) source += (source.empty() ? "" : "\n") + path;
            for (json& s : rowStatements(results[i].clip_id, "visual", visual_model, mean, source, now))
                statements.push_back(std::move(s));
        } catch (const clipdex::Error& error) {
            // No image provider (or it failed): the text vectors still count.
            warnings.push_back("visual embeddings skipped: " + std::string(error.what()));
            visual = false;
        }
    }
    ctx.throwIfCancelled();
    ctx.host().catalog().transaction(ctx, statements);
    return results;
}

}  // namespace vectors
