// viewerOf: the principal reduced to what progress visibility needs (declared in jobs/progress_feed.hpp).
#include <spdlog/spdlog.h>

#include "jobs/progress_feed.hpp"

namespace clipdex::jobs {

Viewer viewerOf(const std::string& principal_json) {
    Viewer viewer;
    const json principal = json::parse(principal_json, nullptr, /*allow_exceptions=*/false);
    if (!principal.is_object()) {
        if (!principal_json.empty()) spdlog::debug("jobs: unparsable principal; treating it as anonymous");
        return viewer;
    }
    const auto role_field = principal.find("role");
    const std::string role =
        role_field != principal.end() && role_field->is_string() ? role_field->get<std::string>() : "";
    if (role == "anonymous") return viewer;  // the anonymous principal's id ("anonymous") owns nothing
    if (const auto id = principal.find("id"); id != principal.end() && id->is_string() && *id != "anonymous")
        viewer.user_id = *id;
    viewer.admin = !viewer.user_id.empty() && role == "admin";
    return viewer;
}

}  // namespace clipdex::jobs
