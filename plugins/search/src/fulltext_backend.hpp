// The `fulltext` search backend: SQLite FTS5 (clips_fts, segments_fts) ranked with bm25 column weights.
#pragma once

#include "common.hpp"

namespace search {

/// Query {"q", "limit" (1..1000, default 10), "offset", "filters", "scope": "clips"|"transcripts"}.
/// Emits hits best first with ctx.emit and returns {"total", "took_ms", "scope"}.
json fulltextSearch(const clipdex::Host& host, const json& query, clipdex::Context& ctx);

}  // namespace search
