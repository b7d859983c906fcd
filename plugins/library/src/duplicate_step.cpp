// check_duplicate_step: a clip with the same checksum stops the file (control.skip_file) unless --force.
#include "common.hpp"

namespace library {
namespace {

class DuplicateStep final : public clipdex::Step {
public:
    explicit DuplicateStep(const clipdex::Host& host) : host_(host) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        const json& checksum_out = stepOutputs(inputs, "generate_checksum_step");
        if (!checksum_out.contains("checksum") || !checksum_out["checksum"].is_string())
            throw clipdex::Error(CDX_E_INVALID_ARGUMENT, "generate_checksum_step gave no checksum");
        const json rows = host_.catalog().query(
            ctx, "SELECT id, file_name, local_path, processed_at FROM clips WHERE file_checksum = :checksum LIMIT 1",
            {{"checksum", checksum_out["checksum"]}});
        if (rows.empty()) return {{"is_duplicate", false}};
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
