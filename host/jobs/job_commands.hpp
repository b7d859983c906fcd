// The job commands: `jobs submit|list|show|cancel` (POST /api/ingest, GET /api/jobs[/{id}], DELETE
// /api/ingest/{id}), the progress routes (/api/progress[/{job_id}], /api/ingest/progress, /api/ingest/results)
// and the `check-progress` CLI client. docs/service/jobs.md describes them.
#pragma once

#include <memory>

#include "core/command.hpp"
#include "core/json.hpp"

namespace clipdex {
class Runtime;

/// Registers the job commands. Call after registerIngest (jobs submit takes the ingest arguments).
void registerJobs(Runtime& runtime);

namespace jobs {
/// `check-progress`: asks a running server for a job's IngestProgress (once, or until it ends with `watch`).
json checkProgress(const json& args, const std::shared_ptr<CancelToken>& cancel);
}  // namespace jobs

}  // namespace clipdex
