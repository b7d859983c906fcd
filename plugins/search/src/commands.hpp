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
json clipTranscript(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json clipAnalysis(const clipdex::Host& host, const json& args, clipdex::Context& ctx);
json clipDelete(const clipdex::Host& host, const json& args, clipdex::Context& ctx);

}  // namespace search
