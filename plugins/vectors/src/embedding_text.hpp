// The two texts a clip is embedded with (inventory §3.5): the summary text (what the clip shows) and the
// keyword text (transcript plus technical and visual keywords). Pure functions of the catalog rows, in a
// fixed order: unlike the original's set() joins, the same clip always gives the same text.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace vectors {

using json = nlohmann::json;

/// What a clip has: its clips row with the JSON columns parsed, the transcript's full text (may be empty) and
/// the analysis document (the AI analysis; null when the clip has none).
struct ClipFacts {
    json clip = json::object();
    std::string transcript;
    json analysis;
};

/// ". "-joined: "<category> content", the overall summary, "Activities include …", "Filmed in …",
/// "Features …", "Serves as …"; without an AI summary the clip's own words stand in: its title (from the file
/// name), content summary and tags, and the transcript.
std::string summaryText(const ClipFacts& facts);

/// Space-joined: transcript; camera; codec and stream details; container, resolution, frame rate, colour;
/// audio and subtitle languages; then the visual concepts (sorted, de-duplicated) and "Shot Attributes: …".
std::string keywordText(const ClipFacts& facts);

struct Truncated {
    std::string text;
    bool truncated = false;
    std::string method;  ///< "none", "sentence_boundary" or "char_boundary"
};

/// Cuts `text` to at most `max_chars` bytes: whole ". "-sentences plus "..." when the first sentence fits,
/// else a cut on a UTF-8 boundary plus "...".
Truncated truncateText(const std::string& text, std::size_t max_chars);

/// Whitespace-separated words: the "tokens" clipdex reports (no tokenizer of any particular model).
std::size_t wordCount(const std::string& text);

/// "beach_day-01.MP4" → "beach day 01".
std::string titleFromFileName(const std::string& file_name);

}  // namespace vectors
