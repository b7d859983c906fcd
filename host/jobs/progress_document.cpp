#include "jobs/progress_document.hpp"

#include <algorithm>
#include <cmath>

namespace clipdex::jobs {
namespace {

/// The original sort: processing, completed, failed, skipped, then the rest (waiting, cancelled).
int sortRank(const std::string& status) {
    if (status == "processing") return 0;
    if (status == "completed") return 1;
    if (status == "failed") return 2;
    if (status == "skipped") return 3;
    if (status == "waiting") return 4;
    return 5;
}

void putTime(json& into, const char* key, const std::string& iso) {
    const double seconds = unixSeconds(iso);
    if (seconds > 0) into[key] = seconds;  // omitted rather than null: the panel calls number methods on it
}

json processedFile(const FileState& file) {
    json row = {{"file_name", file.file_name},
                {"path", file.path},
                {"file_path", file.path},
                {"status", file.status},
                {"current_step", file.current_step},
                {"progress_percentage", file.progress},
                {"completed_steps", file.completed_steps},
                {"steps", file.steps},
                {"error", file.error},
                {"clip_id", file.clip_id}};
    putTime(row, "started_at", file.started_at);
    putTime(row, "completed_at", file.completed_at);
    return row;
}

int overallProgress(const JobState& job) {
    if (job.status == "completed") return 100;
    if (job.files.empty()) return 0;
    double sum = 0;
    for (const FileState& file : job.files)
        sum += file.finished() ? 100.0 : file.status == "processing" ? file.progress : 0.0;
    return static_cast<int>(std::floor(sum / static_cast<double>(job.files.size())));
}

std::string currentFile(const JobState& job) {
    std::string latest_start;
    std::string current;
    for (const FileState& file : job.files)
        if (file.status == "processing" && file.started_at >= latest_start) {
            latest_start = file.started_at;
            current = file.path;
        }
    return current;
}

}  // namespace

bool visibleTo(const JobState& job, const Viewer& viewer) {
    return viewer.admin || (!viewer.user_id.empty() && viewer.user_id == job.user_id);
}

std::string panelStatus(const JobState& job) {
    if (job.status == "queued") return "starting";
    if (job.status == "running") return job.scanning || !job.scanned ? "scanning" : "processing";
    return job.status;
}

json progressDocument(const JobState& job) {
    int running = 0;
    for (const FileState& file : job.files) running += file.status == "processing" ? 1 : 0;
    json processed = json::array();
    json per_file = json::array();
    std::vector<const FileState*> sorted;
    for (const FileState& file : job.files) {
        sorted.push_back(&file);
        json details = json::object();
        for (const auto& [step, record] : file.steps.items())
            details[step] = record.is_object() ? record.value("status", std::string()) : std::string();
        per_file.push_back({{"file_name", file.file_name},
                            {"path", file.path},
                            {"status", file.status},
                            {"progress", file.progress},
                            {"total_sub_tasks", static_cast<int>(file.steps.size())},
                            {"completed_sub_tasks", static_cast<int>(file.completed_steps.size())},
                            {"details", details}});
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const FileState* a, const FileState* b) { return sortRank(a->status) < sortRank(b->status); });
    for (const FileState* file : sorted) processed.push_back(processedFile(*file));

    const int done = job.completed + job.skipped;
    json doc = {{"task_run_id", job.id},
                {"job_id", job.id},
                {"status", panelStatus(job)},
                {"job_status", job.status},
                {"progress", overallProgress(job)},
                {"message", job.message},
                {"current_file", currentFile(job)},
                {"error", job.error},
                {"processed_count", done},
                {"completed_count", job.completed},
                {"failed_count", job.failed},
                {"skipped_count", job.skipped},
                {"running_count", running},
                {"results_count", done},
                {"total_count", job.total},
                {"total", job.total},
                {"total_files", job.total},
                {"processed_files", processed},
                {"per_file", per_file},
                {"directory", job.directory},
                {"user_id", job.user_id},
                {"cancel_requested", job.cancel_requested}};
    putTime(doc, "created_time", job.created_at);
    putTime(doc, "start_time", job.started_at);
    putTime(doc, "end_time", job.ended_at);
    return doc;
}

json idleProgress() {
    return {{"status", "idle"},
            {"job_status", "idle"},
            {"progress", 0},
            {"total", 0},
            {"total_count", 0},
            {"total_files", 0},
            {"processed_count", 0},
            {"completed_count", 0},
            {"failed_count", 0},
            {"skipped_count", 0},
            {"running_count", 0},
            {"results_count", 0},
            {"current_file", ""},
            {"error", ""},
            {"message", "No active ingest process."},
            {"processed_files", json::array()},
            {"per_file", json::array()}};
}

json jobSummary(const JobState& job) {
    json doc = {{"job_id", job.id},
                {"kind", job.kind},
                {"user_id", job.user_id},
                {"directory", job.directory},
                {"status", job.status},
                {"message", job.message},
                {"error", job.error},
                {"total_files", job.total},
                {"completed_files", job.completed},
                {"skipped_files", job.skipped},
                {"failed_files", job.failed},
                {"cancel_requested", job.cancel_requested},
                {"created_at", job.created_at},
                {"started_at", job.started_at},
                {"ended_at", job.ended_at},
                {"updated_at", job.updated_at}};
    return doc;
}

json jobDetail(const JobState& job) {
    json doc = jobSummary(job);
    doc["args"] = job.args;
    doc["progress"] = overallProgress(job);
    doc["files"] = json::array();
    for (const FileState& file : job.files)
        doc["files"].push_back({{"seq", file.seq},
                                {"path", file.path},
                                {"file_name", file.file_name},
                                {"status", file.status},
                                {"current_step", file.current_step},
                                {"progress", file.progress},
                                {"steps", file.steps},
                                {"completed_steps", file.completed_steps},
                                {"clip_id", file.clip_id},
                                {"error", file.error},
                                {"started_at", file.started_at},
                                {"completed_at", file.completed_at}});
    return doc;
}

json jobResults(const JobState& job) {
    json results = json::array();
    for (const FileState& file : job.files) {
        if (!file.finished()) continue;
        results.push_back({{"file_name", file.file_name},
                           {"path", file.path},
                           {"status", file.status},
                           {"clip_id", file.clip_id},
                           {"error", file.error}});
    }
    return {{"job_id", job.id},     {"task_run_id", job.id},   {"directory", job.directory},
            {"status", job.status}, {"count", results.size()}, {"results", results}};
}

}  // namespace clipdex::jobs
