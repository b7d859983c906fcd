#include "pipeline/ingest_report.hpp"

#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <stdexcept>

namespace clipdex::pipeline {
namespace fs = std::filesystem;
namespace {

constexpr std::size_t kMaxInlineOutput = 2048;  // step outputs larger than this stay out of the summary

/// Written beside the target and renamed into place, so an interrupted run never leaves half a file.
void writeJson(const fs::path& path, const json& document) {
    fs::path partial = path;
    partial += ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        out << dumpJson(document, 2) << "\n";
        if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
    }
    fs::rename(partial, path);
}

std::string checksumOf(const FileResult& result) {
    for (const auto& [id, output] : result.outputs.items())
        if (output.is_object() && output.contains("checksum") && output["checksum"].is_string())
            return output["checksum"].get<std::string>();
    return "";
}

}  // namespace

json fileSummary(const ScanEntry& entry, const FileResult* result, bool include_outputs) {
    json row = {{"path", entry.path.string()}, {"name", entry.path.filename().string()}};
    if (result == nullptr) {
        row["status"] = entry.status == "unreadable" ? "failed" : entry.status == "video" ? "cancelled" : "skipped";
        row["reason"] = entry.status == "video" ? "not started: the ingest was cancelled" : entry.reason;
        row["steps"] = json::object();
        return row;
    }
    row["status"] = result->status;
    row["reason"] = result->reason;
    row["duration_ms"] = result->ms;
    json steps = json::object();
    for (const auto& [id, record] : result->steps)
        steps[id] = {
            {"status", record.status}, {"error", record.error}, {"ms", record.ms}, {"attempts", record.attempts}};
    row["steps"] = std::move(steps);
    if (include_outputs) {
        json outputs = json::object();
        for (const auto& [id, output] : result->outputs.items())
            if (dumpJson(output).size() <= kMaxInlineOutput) outputs[id] = output;
        row["outputs"] = std::move(outputs);
    }
    return row;
}

void fillFiles(json& summary, const std::vector<ScanEntry>& entries, const std::vector<FileResult>& results) {
    std::map<fs::path, const FileResult*> by_path;
    for (const FileResult& result : results) by_path[result.path] = &result;
    json files = json::array();
    std::map<std::string, int> counts = {{"processed", 0}, {"skipped", 0}, {"failed", 0}, {"cancelled", 0}};
    for (const ScanEntry& entry : entries) {
        auto found = by_path.find(entry.path);
        json row = fileSummary(entry, found == by_path.end() ? nullptr : found->second, true);
        ++counts[row["status"].get<std::string>()];
        files.push_back(std::move(row));
    }
    summary["total_files"] = files.size();
    for (const auto& [status, count] : counts) summary[status] = count;
    summary["files"] = std::move(files);
}

fs::path makeRunDir(const fs::path& save_directory, std::string& run_id) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "run_%Y%m%dT%H%M%SZ", &utc);
    fs::create_directories(save_directory);
    for (int attempt = 1;; ++attempt) {
        run_id = attempt == 1 ? std::string(stamp) : std::string(stamp) + "_" + std::to_string(attempt);
        const fs::path dir = save_directory / run_id;
        if (fs::create_directory(dir)) {
            fs::create_directories(dir / "json");
            return dir;
        }
    }
}

void saveRun(const fs::path& run_dir, const json& summary, const json& pipeline_config,
             const std::vector<FileResult>& results) {
    std::size_t index = 0;
    for (const FileResult& result : results) {
        ++index;
        const std::string checksum = checksumOf(result);
        const std::string key = checksum.empty() ? std::to_string(index) : checksum.substr(0, 16);
        ScanEntry entry{result.path, "video", "", 0};
        json document = fileSummary(entry, &result, false);
        document["outputs"] = result.outputs;
        writeJson(run_dir / "json" / (result.path.stem().string() + "_" + key + ".json"), document);
    }
    writeJson(run_dir / "pipeline_config.json", pipeline_config);
    writeJson(run_dir / "summary.json", summary);
}

}  // namespace clipdex::pipeline
