// Turns user search text into a safe SQLite FTS5 query. The text never reaches FTS syntax raw: every word
// or phrase becomes a quoted FTS5 string ("tok", '"' doubled), combined with operators this code writes.
//
// Web-search-like syntax: words are ANDed; "quoted phrase"; -word or -"phrase" excludes; OR between two
// terms (upper case); word* is a prefix. Punctuation-only tokens are dropped (the tokenizer ignores them).
#pragma once

#include <string>

#include "common.hpp"

namespace search {

inline constexpr std::size_t kMaxQueryBytes = 1000;
inline constexpr std::size_t kMaxQueryTerms = 64;

struct FtsQuery {
    std::string match;      ///< the full expression: every group must match, excluded terms must not
    std::string match_any;  ///< any positive term (finds the best transcript segments, whole words or not)
    std::size_t terms = 0;  ///< positive terms
};

/// INVALID_ARGUMENT {"field": field} when the text is too long, has too many terms, or no word to search for.
FtsQuery buildFtsQuery(const std::string& text, const char* field = "q");

}  // namespace search
