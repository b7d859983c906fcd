// The search plugin's commands (manifest provides.commands), one function each.
#pragma once

#include "common.hpp"

namespace search {

// search_commands.cpp
json listClips(const clipdex::Host& host, const json& args, clipdex::Context& ctx, std::int64_t default_limit);
json searchQuery(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json searchSimilar(const clipdex::Host& host, const json& args, clipdex::Context& ctx);

// stats.cpp
json searchStats(const clipdex::Host& host, const json& args, clipdex::Context& ctx);

// clip_commands.cpp
/// The clip's transcript with its segments (and their timecodes), or null.
json transcriptOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id);
/// The clip's analysis row with its JSON document parsed and its summary / tags lifted beside it, or null.
json analysisOf(const clipdex::Catalog& catalog, const clipdex::Context& ctx, const std::string& clip_id);

json clipShow(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json clipTranscript(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json clipAnalysis(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json clipDelete(const clipdex::Host& host, const json& args, clipdex::Context& ctx);

}  // namespace search
