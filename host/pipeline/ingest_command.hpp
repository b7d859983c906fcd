// The `ingest` host command (CLI `clipdex ingest DIR`, foreground): scan, plan, execute, report. Its planning,
// scanning and executor set-up are shared with background ingest jobs (host/jobs), so both run the same way.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "pipeline/executor.hpp"
#include "pipeline/scanner.hpp"
#include "pipeline/step_graph.hpp"

namespace clipdex {
class Runtime;

namespace pipeline {

/// What an ingest needs before its files are known: the steps in run order and how to find the files.
struct IngestPlan {
    std::vector<AvailableStep> available;
    std::vector<PlannedStep> steps;
    ScanOptions scan;
    json warnings = json::array();  // options that could not be honoured
};

/// The argument schema of `ingest` (also the base of `jobs submit`).
json ingestArgsSchema();

/// Plans an ingest from validated ingest arguments. Throws CommandError naming the bad option.
IngestPlan planIngest(Runtime& runtime, const json& args);

/// The absolute, normalised form of an existing directory. Throws CommandError(INVALID_ARGUMENT) with details
/// {"field": "directory"} when it does not exist or is not a directory.
std::filesystem::path ingestDirectory(const std::string& directory);

/// Scans `directory` with the plan's options. Throws CommandError(CDX_E_IO) when the walk fails.
std::vector<ScanEntry> scanForIngest(const std::filesystem::path& directory, const ScanOptions& scan);

/// Executor options from ingest arguments, running as `principal_json` and stopping on `cancel`.
ExecutorOptions ingestExecutorOptions(const json& args, std::string principal_json,
                                      std::shared_ptr<CancelToken> cancel);

}  // namespace pipeline

/// Registers `ingest`. Call after the plugins are loaded: --enable/--disable list the loaded steps as choices.
void registerIngest(Runtime& runtime);

}  // namespace clipdex
