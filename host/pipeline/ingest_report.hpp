// The ingest summary document and the run directory (<save_directory>/run_<UTC timestamp>/) it is saved to.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "pipeline/executor.hpp"
#include "pipeline/scanner.hpp"

namespace clipdex::pipeline {

/// One row of the summary's "files": from the executor when the file ran, else from the scan.
json fileSummary(const ScanEntry& entry, const FileResult* result, bool include_outputs);

/// Merges scan entries with executor results (by path) into the summary's "files"; videos without a result
/// were never started (cancellation) and get status "cancelled". Counts go into `summary`.
void fillFiles(json& summary, const std::vector<ScanEntry>& entries, const std::vector<FileResult>& results);

/// Creates a fresh <save_directory>/run_<YYYYmmddTHHMMSSZ>[_N] directory with a json/ folder.
std::filesystem::path makeRunDir(const std::filesystem::path& save_directory, std::string& run_id);

/// Writes json/<stem>_<checksum or index>.json per started file, pipeline_config.json and summary.json.
void saveRun(const std::filesystem::path& run_dir, const json& summary, const json& pipeline_config,
             const std::vector<FileResult>& results);

}  // namespace clipdex::pipeline
