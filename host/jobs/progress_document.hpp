// The wire formats of jobs: the original tool's IngestProgress (inventory §5.5, §7.3) as a superset both panel
// generations read, and the job documents of `jobs list` / `jobs show`. No numeric field is ever null.
#pragma once

#include "core/json.hpp"
#include "jobs/job_model.hpp"
#include "jobs/progress_feed.hpp"

namespace clipdex::jobs {

/// Whether `viewer` may see `job`: its owner, or an admin.
bool visibleTo(const JobState& job, const Viewer& viewer);

/// The job's status in the panel's vocabulary: queued -> "starting", scanning -> "scanning",
/// running -> "processing", then "completed", "failed" or "cancelled".
std::string panelStatus(const JobState& job);

/// The IngestProgress document of `job` (with its files).
json progressDocument(const JobState& job);

/// The IngestProgress document when there is no job: the original's static idle object plus our fields.
json idleProgress();

/// A job without its files, for listings.
json jobSummary(const JobState& job);

/// A job with per-file and per-step detail.
json jobDetail(const JobState& job);

/// {"job_id", "directory", "status", "results": [one per finished file], "count"}.
json jobResults(const JobState& job);

}  // namespace clipdex::jobs
