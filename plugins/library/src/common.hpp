// Helpers shared by the library plugin's steps and commands: file facts from step inputs, timestamps,
// ids and JSON column handling.
#pragma once

#include <clipdex/plugin.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace library {

using clipdex::json;

/// The file a step works on, from inputs.file (stat() fills what the executor left out).
struct FileFacts {
    std::string path;       ///< absolute
    std::string name;       ///< base name
    std::int64_t size = 0;  ///< bytes
    json mtime;             ///< ISO 8601 UTC text with nanoseconds when known, else null
};

FileFacts fileFacts(const json& inputs);

/// inputs.options.force
bool forceRequested(const json& inputs);

/// Whose library the file goes into: the caller's principal id ("local" in local mode). Checksums are unique
/// per owner, so two users may each keep the same file.
std::string ownerOf(const clipdex::Context& ctx);

/// Outputs of an earlier step, or an empty object when it did not run or failed.
const json& stepOutputs(const json& inputs, const char* step_id);

/// Now as ISO 8601 UTC with microseconds: "2026-11-25T20:56:55.123456Z" (fixed width, sorts as text).
std::string nowIso();

/// Nanoseconds since the epoch as ISO 8601 UTC: "2026-11-25T10:00:00.123456789Z".
std::string isoFromNanoseconds(std::int64_t ns);

/// A random (version 4) UUID in canonical lower-case form.
std::string newUuid();

std::unique_ptr<clipdex::Step> makeChecksumStep(const clipdex::Host& host);
std::unique_ptr<clipdex::Step> makeDuplicateStep(const clipdex::Host& host);
std::unique_ptr<clipdex::Step> makeStorageStep(const clipdex::Host& host);

}  // namespace library
