// Finds the video files of an ingest: a stable, sorted walk that never follows a symlink loop, skips hidden
// entries, and decides "is a video" by asking a content probe (the media plugin's `media probe` command),
// not by the extension alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/command.hpp"

namespace clipdex::pipeline {

/// The original tool's --file-types default.
inline constexpr const char* kDefaultFileTypes = "mp4,mov,avi,mkv,m4v,wmv,flv,webm,3gp,mpg,mpeg,m2v,m4v";

struct ScanOptions {
    bool recursive = true;
    std::vector<std::string> extensions;  // lower case, no dot; a file with another extension is not considered
    std::size_t limit = 0;                // at most this many videos (0: no limit); later files are not probed
    // "" when the file is a video, else why not (see contentProbe); unset: every listed file counts.
    std::function<std::string(const std::filesystem::path&)> probe;
};

struct ScanEntry {
    std::filesystem::path path;
    std::string status;  // "video", "skipped" (not a video, symlink loop) or "unreadable"
    std::string reason;  // empty for videos
    std::uintmax_t size_bytes = 0;
};

/// "mp4, .MOV,mkv" -> {"mp4", "mov", "mkv"}; duplicates removed.
std::vector<std::string> parseFileTypes(std::string_view list);

/// Walks `root` in sorted order (byte order of names, directories' contents in place). Every file whose
/// extension is listed appears once, with its status; ignored extensions, hidden names and special files
/// do not appear. Unreadable directories and symlink loops appear with their reason.
std::vector<ScanEntry> scanDirectory(const std::filesystem::path& root, const ScanOptions& options);

/// Probes one readable file. Returns the empty string for a video (a container with at least one video

/// A probe backed by the loaded `media probe` command, or an empty function when no plugin provides one.
std::function<std::string(const std::filesystem::path&)> contentProbe(const std::vector<Command*>& commands);

}  // namespace clipdex::pipeline
