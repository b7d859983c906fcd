// The `search` plugin: the fulltext search backend (SQLite FTS5) and the search / clip commands. Semantic,
// hybrid and similar-clip search are other plugins' backends, reached through the host's dispatch service.
#include "commands.hpp"
#include "fulltext_backend.hpp"

namespace {

using clipdex::json;

class SearchPlugin final : public clipdex::Plugin {
public:
    using Plugin::Plugin;

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        if (command_id == "search-recent") return search::listClips(host(), args, ctx, 10);
        if (command_id == "clip-list") return search::listClips(host(), args, ctx, 20);
        if (command_id == "search-query") return search::searchQuery(host(), args, ctx);
        if (command_id == "search-similar") return search::searchSimilar(host(), args, ctx);
        if (command_id == "search-stats") return search::searchStats(host(), args, ctx);
        if (command_id == "clip-show") return search::clipShow(host(), args, ctx);
        if (command_id == "clip-transcript") return search::clipTranscript(host(), args, ctx);
        if (command_id == "clip-analysis") return search::clipAnalysis(host(), args, ctx);
        if (command_id == "clip-delete") return search::clipDelete(host(), args, ctx);
        return Plugin::invoke(command_id, args, ctx);
    }

    json search(std::string_view backend_id, const json& query, clipdex::Context& ctx) override {
        if (backend_id == "fulltext") return search::fulltextSearch(host(), query, ctx);
        return Plugin::search(backend_id, query, ctx);
    }
};

}  // namespace

CLIPDEX_PLUGIN(SearchPlugin)
