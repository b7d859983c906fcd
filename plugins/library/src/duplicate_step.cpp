// check_duplicate_step: a clip with the same checksum stops the file (control.skip_file) unless --force.
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include "common.hpp"

namespace library {
namespace {

// Files of one batch run in parallel, so two copies can both pass the catalog lookup before either is
// stored. The first to reach this check claims the checksum; later copies are duplicates of it. Claims
// expire so a long-running server does not remember files whose clips were deleted since.
class ChecksumClaims {
public:
    /// The path that claimed `checksum` first (possibly `path` itself).
    std::string claim(const std::string& checksum, const std::string& path) {
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(mutex_);
        auto [it, inserted] = claims_.try_emplace(checksum, Claim{path, now});
        if (!inserted && now - it->second.at > kLifetime) it->second = Claim{path, now};
        return it->second.path;
    }

private:
    struct Claim {
        std::string path;
        std::chrono::steady_clock::time_point at;
    };
    static constexpr std::chrono::minutes kLifetime{10};
    std::mutex mutex_;
    std::map<std::string, Claim> claims_;
};

ChecksumClaims& claims() {
    static ChecksumClaims instance;
    return instance;
}

class DuplicateStep final : public clipdex::Step {
public:
    explicit DuplicateStep(const clipdex::Host& host) : host_(host) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const json& checksum_out = stepOutputs(inputs, "generate_checksum_step");
        if (!checksum_out.contains("checksum") || !checksum_out["checksum"].is_string())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "generate_checksum_step gave no checksum");
        const json rows = host_.catalog().query(
            ctx, "SELECT id, file_name, local_path, processed_at FROM clips WHERE user_id = :owner AND file_checksum = :checksum "
            "LIMIT 1",
            {{"checksum", checksum_out["checksum"]}, {"owner", ownerOf(ctx)}});
        if (rows.empty()) {
            const std::string path = fileFacts(inputs).path;
            const std::string owner = claims().claim(ownerOf(ctx) + "/" + checksum_out["checksum"].get<std::string>(), path);
            if (owner == path || forceRequested(inputs)) return {{"is_duplicate", false}};
            const std::string reason =
                "duplicate of " + std::filesystem::path(owner).filename().string() + " (same content, in this batch)";
            return {{"is_duplicate", true},
                    {"existing_file_path", owner},
                    {"control", {{"action", "skip_file"}, {"reason", reason}}}};
        }
        const json& existing = rows.at(0);
        const std::string id = existing.at("id").get<std::string>();
        if (forceRequested(inputs))
            return {{"is_duplicate", false}, {"existing_clip_id", id}, {"reprocess_forced", true}};

        // Same content at the same path is the file itself, met again (quick check or a touched mtime).
        const bool same_file = checksum_out.contains("unchanged_clip_id") ||
                               existing.value("local_path", json()) == json(fileFacts(inputs).path);
        const std::string reason =
            same_file ? "unchanged since last ingest (clip " + id + ")"
                      : "duplicate of " + existing.value("file_name", std::string("?")) + " (clip " + id + ")";
        return {{"is_duplicate", true},
                {"existing_clip_id", id},
                {"existing_file_name", existing.at("file_name")},
                {"existing_file_path", existing.at("local_path")},
                {"existing_processed_at", existing.at("processed_at")},
                {"control", {{"action", "skip_file"}, {"reason", reason}}}};
    }

private:
    const clipdex::Host& host_;
};

}  // namespace

std::unique_ptr<clipdex::Step> makeDuplicateStep(const clipdex::Host& host) {
    return std::make_unique<DuplicateStep>(host);
}

}  // namespace library
