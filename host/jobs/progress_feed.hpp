// What the live-progress transports (REST polling, /api/ws, Socket.IO) need from the job system: snapshots of a
// job's progress in the original tool's IngestProgress wire format, and a throttled stream of changes. The job
// manager implements it; the transports only see this interface.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/json.hpp"

namespace clipdex::jobs {

/// Who is asking, reduced to what visibility needs: a user sees their own jobs, an admin sees all.
struct Viewer {
    std::string user_id;
    bool admin = false;
};

/// Parses a principal JSON text ({"id", "role", ...}); an empty or anonymous principal sees nothing.
Viewer viewerOf(const std::string& principal_json);

class ProgressFeed {
public:
    virtual ~ProgressFeed() = default;

    /// The IngestProgress document of job `job_id`, or of the viewer's most recent job when `job_id` is empty
    /// (an "idle" document, never null fields, when there is none). Throws CommandError(CDX_E_NOT_FOUND) for
    /// an unknown job or one the viewer may not see.
    virtual json progress(const std::string& job_id, const Viewer& viewer) = 0;

    /// Called with (job id, owner user id, IngestProgress) on every change, throttled to at most one call per
    /// job every 250 ms, plus always on a status change (queued → running → completed, ...). Calls come from
    /// job threads; a listener must not block. Returns a handle for unsubscribe().
    using Listener = std::function<void(const std::string& job_id, const std::string& owner, const json& progress)>;
    virtual std::uint64_t subscribe(Listener listener) = 0;
    virtual void unsubscribe(std::uint64_t handle) = 0;
};

}  // namespace clipdex::jobs
