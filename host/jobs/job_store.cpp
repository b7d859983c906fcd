#include "jobs/job_store.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

namespace clipdex::jobs {
namespace {

std::string text(const json& row, const char* key) {
    const auto found = row.find(key);
    return found != row.end() && found->is_string() ? found->get<std::string>() : std::string();
}

int number(const json& row, const char* key) {
    const auto found = row.find(key);
    return found != row.end() && found->is_number() ? found->get<int>() : 0;
}

json orNull(const std::string& value) {
    return value.empty() ? json(nullptr) : json(value);
}

json parsedOr(const std::string& value, json fallback) {
    json parsed = json::parse(value, nullptr, false);
    return parsed.is_discarded() ? fallback : parsed;
}

constexpr const char* kJobColumns =
    "id, user_id, principal, kind, directory, args, status, message, error, total_files, completed_files, "
    "skipped_files, failed_files, cancel_requested, scanned, created_at, started_at, ended_at, updated_at";

JobState jobFrom(const json& row) {
    JobState job;
    job.id = text(row, "id");
    job.user_id = text(row, "user_id");
    job.principal_json = text(row, "principal");
    job.kind = text(row, "kind");
    job.directory = text(row, "directory");
    job.args = parsedOr(text(row, "args"), json::object());
    job.status = text(row, "status");
    job.message = text(row, "message");
    job.error = text(row, "error");
    job.total = number(row, "total_files");
    job.completed = number(row, "completed_files");
    job.skipped = number(row, "skipped_files");
    job.failed = number(row, "failed_files");
    job.cancel_requested = number(row, "cancel_requested") != 0;
    job.scanned = number(row, "scanned") != 0;
    job.created_at = text(row, "created_at");
    job.started_at = text(row, "started_at");
    job.ended_at = text(row, "ended_at");
    job.updated_at = text(row, "updated_at");
    return job;
}

json jobParams(const JobState& job) {
    return {{"id", job.id},
            {"status", job.status},
            {"message", job.message},
            {"error", orNull(job.error)},
            {"total", job.total},
            {"completed", job.completed},
            {"skipped", job.skipped},
            {"failed", job.failed},
            {"cancel", job.cancel_requested ? 1 : 0},
            {"scanned", job.scanned ? 1 : 0},
            {"started_at", orNull(job.started_at)},
            {"ended_at", orNull(job.ended_at)},
            {"updated_at", job.updated_at}};
}

json fileParams(const std::string& job_id, const FileState& file) {
    return {{"job_id", job_id},
            {"seq", file.seq},
            {"path", file.path},
            {"file_name", file.file_name},
            {"status", file.status},
            {"current_step", file.current_step},
            {"progress", file.progress},
            {"steps", file.steps.dump()},
            {"completed_steps", file.completed_steps.dump()},
            {"clip_id", orNull(file.clip_id)},
            {"error", orNull(file.error)},
            {"started_at", orNull(file.started_at)},
            {"completed_at", orNull(file.completed_at)}};
}

constexpr const char* kUpdateJob =
    "UPDATE jobs SET status = :status, message = :message, error = :error, total_files = :total, "
    "completed_files = :completed, skipped_files = :skipped, failed_files = :failed, "
    "cancel_requested = MAX(cancel_requested, :cancel), scanned = :scanned, started_at = :started_at, "
    "ended_at = :ended_at, updated_at = :updated_at WHERE id = :id";

constexpr const char* kUpdateFile =
    "UPDATE job_files SET status = :status, current_step = :current_step, progress = :progress, steps = :steps, "
    "completed_steps = :completed_steps, clip_id = :clip_id, error = :error, started_at = :started_at, "
    "completed_at = :completed_at WHERE job_id = :job_id AND seq = :seq AND path = :path AND "
    "file_name = :file_name";

}  // namespace

std::string nowIso() {
    return Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

double unixSeconds(const std::string& iso) {
    if (iso.empty()) return 0;
    Poco::DateTime parsed;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, iso, parsed, zone)) return 0;
    return static_cast<double>(parsed.timestamp().epochMicroseconds()) / 1e6 - zone;
}

void JobStore::insertJob(const JobState& job) {
    catalog_.query(
        "INSERT INTO jobs (id, user_id, principal, kind, directory, args, status, message, created_at, updated_at) "
        "VALUES (:id, :user_id, :principal, :kind, :directory, :args, :status, :message, :created_at, :updated_at)",
        {{"id", job.id},
         {"user_id", job.user_id},
         {"principal", job.principal_json},
         {"kind", job.kind},
         {"directory", job.directory},
         {"args", job.args.dump()},
         {"status", job.status},
         {"message", job.message},
         {"created_at", job.created_at},
         {"updated_at", job.updated_at}});
}

void JobStore::save(const JobState& job, const std::vector<FileState>& files) {
    json statements = json::array({{{"sql", kUpdateJob}, {"params", jobParams(job)}}});
    for (const FileState& file : files)
        statements.push_back({{"sql", kUpdateFile}, {"params", fileParams(job.id, file)}});
    catalog_.transaction(statements);
}

void JobStore::insertFiles(const JobState& job) {
    json statements =
        json::array({{{"sql", "DELETE FROM job_files WHERE job_id = :id"}, {"params", {{"id", job.id}}}}});
    for (const FileState& file : job.files)
        statements.push_back(
            {{"sql",
              "INSERT INTO job_files (job_id, seq, path, file_name, status, current_step, progress, steps, "
              "completed_steps, clip_id, error, started_at, completed_at) VALUES (:job_id, :seq, :path, :file_name, "
              ":status, :current_step, :progress, :steps, :completed_steps, :clip_id, :error, :started_at, "
              ":completed_at)"},
             {"params", fileParams(job.id, file)}});
    statements.push_back({{"sql", kUpdateJob}, {"params", jobParams(job)}});
    catalog_.transaction(statements);
}

std::optional<JobState> JobStore::load(const std::string& id, bool with_files) {
    const json rows = catalog_.query(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = :id", {{"id", id}});
    if (rows.empty()) return std::nullopt;
    JobState job = jobFrom(rows[0]);
    if (!with_files) return job;
    const json files = catalog_.query(
        "SELECT seq, path, file_name, status, current_step, progress, steps, completed_steps, clip_id, error, "
        "started_at, completed_at FROM job_files WHERE job_id = :id ORDER BY seq",
        {{"id", id}});
    for (const json& row : files) {
        FileState file;
        file.seq = number(row, "seq");
        file.path = text(row, "path");
        file.file_name = text(row, "file_name");
        file.status = text(row, "status");
        file.current_step = text(row, "current_step");
        file.progress = number(row, "progress");
        file.steps = parsedOr(text(row, "steps"), json::object());
        file.completed_steps = parsedOr(text(row, "completed_steps"), json::array());
        file.clip_id = text(row, "clip_id");
        file.error = text(row, "error");
        file.started_at = text(row, "started_at");
        file.completed_at = text(row, "completed_at");
        job.files.push_back(std::move(file));
    }
    return job;
}

std::vector<JobState> JobStore::list(const Viewer& viewer, const std::string& status, int limit) {
    if (viewer.user_id.empty() && !viewer.admin) return {};
    const json rows = catalog_.query(
        std::string("SELECT ") + kJobColumns +
            " FROM jobs WHERE (:admin = 1 OR user_id = :user) AND (:status = '' OR status = :status) "
            "ORDER BY created_at DESC, id LIMIT :limit",
        {{"admin", viewer.admin ? 1 : 0}, {"user", viewer.user_id}, {"status", status}, {"limit", limit}});
    std::vector<JobState> jobs;
    for (const json& row : rows) jobs.push_back(jobFrom(row));
    return jobs;
}

std::string JobStore::latestVisible(const Viewer& viewer) {
    if (viewer.user_id.empty() && !viewer.admin) return {};
    const json rows = catalog_.query(
        "SELECT id FROM jobs WHERE (:admin = 1 OR user_id = :user) "
        "ORDER BY CASE WHEN status IN ('queued', 'running') THEN 0 ELSE 1 END, created_at DESC LIMIT 1",
        {{"admin", viewer.admin ? 1 : 0}, {"user", viewer.user_id}});
    return rows.empty() ? std::string() : text(rows[0], "id");
}

std::vector<std::string> JobStore::idsWithStatus(const std::vector<std::string>& statuses) {
    std::vector<std::string> ids;
    for (const std::string& status : statuses) {
        const json rows = catalog_.query("SELECT id, created_at FROM jobs WHERE status = :status ORDER BY created_at",
                                         {{"status", status}});
        for (const json& row : rows) ids.push_back(text(row, "id"));
    }
    return ids;
}

std::optional<JobControl> JobStore::control(const std::string& id) {
    const json rows = catalog_.query("SELECT status, cancel_requested FROM jobs WHERE id = :id", {{"id", id}});
    if (rows.empty()) return std::nullopt;
    return JobControl{text(rows[0], "status"), number(rows[0], "cancel_requested") != 0};
}

bool JobStore::claim(const std::string& id, const std::string& started_at) {
    const json done = catalog_.transaction(
        json::array({{{"sql",
                       "UPDATE jobs SET status = 'running', started_at = COALESCE(started_at, :at), updated_at = :at "
                       "WHERE id = :id AND status IN ('queued', 'running') AND cancel_requested = 0"},
                      {"params", {{"id", id}, {"at", started_at}}}}}));
    return done["affected"][0].get<int>() > 0;
}

bool JobStore::cancelQueued(const std::string& id, const std::string& message) {
    const std::string now = nowIso();
    const json done = catalog_.transaction(json::array(
        {{{"sql",
           "UPDATE jobs SET status = 'cancelled', message = :message, cancel_requested = 1, ended_at = :at, "
           "updated_at = :at WHERE id = :id AND status = 'queued'"},
          {"params", {{"id", id}, {"at", now}, {"message", message}}}},
         {{"sql",
           "UPDATE job_files SET status = 'cancelled' WHERE job_id = :id AND status IN ('waiting', 'processing')"},
          {"params", {{"id", id}}}}}));
    return done["affected"][0].get<int>() > 0;
}

bool JobStore::requestCancel(const std::string& id) {
    const json done = catalog_.transaction(json::array(
        {{{"sql", "UPDATE jobs SET cancel_requested = 1, updated_at = :at WHERE id = :id AND status = 'running'"},
          {"params", {{"id", id}, {"at", nowIso()}}}}}));
    return done["affected"][0].get<int>() > 0;
}

std::optional<std::string> JobStore::unfinishedFor(const std::string& user_id, const std::string& directory) {
    const json rows = catalog_.query(
        "SELECT id FROM jobs WHERE user_id = :user AND directory = :directory AND status IN ('queued', 'running') "
        "ORDER BY created_at LIMIT 1",
        {{"user", user_id}, {"directory", directory}});
    if (rows.empty()) return std::nullopt;
    return text(rows[0], "id");
}

}  // namespace clipdex::jobs
