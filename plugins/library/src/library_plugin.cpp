// The `library` plugin: checksum, duplicate check and storage steps (clip commands live in clipdex.search).
// Built only through the public SDK.
#include "common.hpp"

namespace {

using clipdex::json;

class LibraryPlugin final : public clipdex::Plugin {
public:
    using Plugin::Plugin;

    std::unique_ptr<clipdex::Step> createStep(std::string_view step_id, const json& config,
                                              clipdex::Context& ctx) override {
        if (step_id == "generate_checksum_step") return library::makeChecksumStep(host());
        if (step_id == "check_duplicate_step") return library::makeDuplicateStep(host());
        if (step_id == "database_storage_step") return library::makeStorageStep(host());
        return Plugin::createStep(step_id, config, ctx);
    }
};

}  // namespace

CLIPDEX_PLUGIN(LibraryPlugin)
