// clipdex.embedders: the embedding providers local-text, local-visual and openai (clipdex.embedder/1).
// Settings are read from the plugin's config section on every call, so a changed config file applies
// to the next process without any state here; every provider is safe to call from several threads.
#include <clipdex/plugin.hpp>

#include "../common/ffmpeg_log.hpp"
#include "local_text.hpp"
#include "local_visual.hpp"
#include "openai_provider.hpp"
#include "request.hpp"

namespace embedders {
namespace {

LocalTextOptions localTextOptions(const clipdex::Host& host) {
    LocalTextOptions options;
    const int64_t dimension = configInt(host, "local_text.dimension", 384, 1, 1 << 20);
    if (dimension != 384 && dimension != 1024)
        throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "config plugins.clipdex.embedders.local_text.dimension is " +
                                                         std::to_string(dimension) + "; it must be 384 or 1024");
    options.dimension = static_cast<size_t>(dimension);
    options.drop_stopwords = configBool(host, "local_text.stopwords", true);
    return options;
}

class EmbeddersPlugin final : public clipdex::Plugin {
public:
    explicit EmbeddersPlugin(const clipdex::Host& host) : Plugin(host) { clipdex_ffmpeg::routeLogsTo(this->host()); }
    ~EmbeddersPlugin() override { clipdex_ffmpeg::stopRoutingLogs(host()); }

    json embed(std::string_view provider_id, const json& request, clipdex::Context& ctx) override {
        const EmbedRequest parsed = parseRequest(request, provider_id);
        if (provider_id == "local-text") return localText(parsed, ctx);
        if (provider_id == "local-visual") return localVisual(parsed, ctx);
        if (provider_id == "openai") return openAi(parsed, ctx);
        return Plugin::embed(provider_id, request, ctx);
    }

private:
    json localText(const EmbedRequest& request, const clipdex::Context& ctx) const {
        requireKind(request, "local-text", "text");
        const LocalTextEmbedder embedder(localTextOptions(host()));
        std::vector<std::vector<float>> vectors;
        vectors.reserve(request.inputs.size());
        for (size_t i = 0; i < request.inputs.size(); ++i) {
            if (i % 256 == 0) ctx.throwIfCancelled();
            vectors.push_back(embedder.embed(request.inputs[i]));
        }
        return answer(embedder.model(), embedder.dimension(), vectors);
    }

    static json localVisual(const EmbedRequest& request, const clipdex::Context& ctx) {
        requireKind(request, "local-visual", "image");
        std::vector<std::vector<float>> vectors;
        vectors.reserve(request.inputs.size());
        for (size_t i = 0; i < request.inputs.size(); ++i) {
            ctx.throwIfCancelled();
            vectors.push_back(FrameDescriptor::describe(request.inputs[i]));
            if (request.inputs.size() > 1) ctx.progress(static_cast<double>(i + 1) / request.inputs.size());
        }
        return answer(FrameDescriptor::model(), FrameDescriptor::kDimension, vectors);
    }

    json openAi(const EmbedRequest& request, const clipdex::Context& ctx) const {
        requireKind(request, "openai", "text");
        const OpenAiSettings settings = openAiSettings(host());
        OpenAiResult result = embedOpenAi(settings, request.inputs, ctx);
        return answer(result.model, result.dimension, result.vectors);
    }
};

}  // namespace
}  // namespace embedders

CLIPDEX_PLUGIN(embedders::EmbeddersPlugin)
