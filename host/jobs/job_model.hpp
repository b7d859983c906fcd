// The state of one background job and its files, as the job manager keeps it in memory and the catalog
// (migration v6: jobs, job_files) stores it. Timestamps are ISO 8601 UTC text with microseconds.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"

namespace clipdex::jobs {

struct FileState {
    int seq = 0;  // position in the scan, stable across restarts
    std::string path;
    std::string file_name;
    std::string status = "waiting";  // waiting | processing | completed | skipped | failed | cancelled
    std::string current_step;
    int progress = 0;                      // 0-100
    json steps = json::object();           // step id -> {"status", "error"?, "attempts"?, "ms"?}
    json completed_steps = json::array();  // ids of the steps that finished (succeeded or skipped)
    std::string clip_id;                   // the stored (or already present) clip
    std::string error;                     // failure message or skip reason
    std::string started_at;
    std::string completed_at;
    bool dirty = false;  // changed since the last write to the catalog

    bool finished() const { return status == "completed" || status == "skipped" || status == "failed"; }
    /// The same file, waiting to run again (progress and step state cleared).
    FileState fresh() const {
        FileState again;
        again.seq = seq;
        again.path = path;
        again.file_name = file_name;
        again.dirty = true;
        return again;
    }
};

struct JobState {
    std::string id;
    std::string user_id;
    std::string principal_json;  // the owner's principal, so the job runs as them after a restart
    std::string kind = "ingest";
    std::string directory;          // absolute, normalised
    json args = json::object();     // the validated ingest arguments
    std::string status = "queued";  // queued | running | completed | failed | cancelled
    bool scanning = false;          // running, and the directory is being scanned (not stored)
    bool scanned = false;           // the file list is known (job_files holds it)
    std::string message;
    std::string error;
    int total = 0;
    int completed = 0;
    int skipped = 0;
    int failed = 0;
    bool cancel_requested = false;
    std::string created_at;
    std::string started_at;
    std::string ended_at;
    std::string updated_at;
    std::vector<FileState> files;

    bool finished() const { return status == "completed" || status == "failed" || status == "cancelled"; }
};

/// Now, as ISO 8601 UTC text with microseconds ("2026-01-02T03:04:05.678901Z").
std::string nowIso();
/// Seconds since the Unix epoch of an nowIso() text; 0 when empty or unreadable.
double unixSeconds(const std::string& iso);

}  // namespace clipdex::jobs
