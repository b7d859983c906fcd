// Maps the step outputs of one file onto the clips columns and the transcript tables.
#pragma once

#include "common.hpp"

namespace library {

/// Column values of the clips row (names as in the v1 schema), without id, processed_at and updated_at.
/// JSON documents are serialised to text; columns no step produced are null.
json clipColumns(const json& inputs, const FileFacts& file, const std::string& checksum);

/// The transcript from extract_subtitle_transcript_step: {source, language, full_text, segments:
/// [{start_seconds, end_seconds, text}]}, or null when there is none.
json transcriptFrom(const json& inputs);

/// Space-joined search text (inventory §3.4, the parts clipdex knows today).
std::string searchableContent(const json& columns);

}  // namespace library
