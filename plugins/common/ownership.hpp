// Who may see which clips: the one visibility rule of every plugin that reads or writes clips
// (docs/auth/ownership.md). An admin sees every clip; any other signed-in principal sees the clips whose
// `user_id` is its id; an anonymous or id-less principal sees none. A clip the caller may not see must
// answer exactly like a missing one (404 CLIP_NOT_FOUND), so callers add the condition to the query itself
// instead of checking afterwards. Header-only, public SDK only: each plugin compiles its own copy.
#pragma once

#include <clipdex/plugin.hpp>
#include <string>

namespace clipdex_ownership {

struct Visibility {
    enum class Scope { All, Owner, Nothing };
    Scope scope = Scope::Nothing;
    std::string owner;  ///< the principal id when scope is Owner
};

inline Visibility visibilityOf(const clipdex::json& principal) {
    Visibility out;
    if (!principal.is_object()) return out;
    const auto id = principal.find("id");
    const auto role = principal.find("role");
    const std::string role_name = role != principal.end() && role->is_string() ? role->get<std::string>() : "";
    const std::string id_text = id != principal.end() && id->is_string() ? id->get<std::string>() : "";
    if (role_name == "admin") {
        out.scope = Visibility::Scope::All;
    } else if (!id_text.empty() && role_name != "anonymous") {
        out.scope = Visibility::Scope::Owner;
        out.owner = id_text;
    }
    return out;
}

inline Visibility visibilityOf(const clipdex::Context& ctx) {
    return visibilityOf(ctx.principal());
}

/// An SQL condition restricting `column` (e.g. "c.user_id") to the clips `visibility` allows. The owner is
/// bound as :<param> in `params`, never spliced. An admin gets "1 = 1" (callers may skip it), nobody "0 = 1".
inline std::string ownerCondition(const Visibility& visibility, const std::string& column, clipdex::json& params,
                                  const std::string& param = "visible_owner") {
    switch (visibility.scope) {
        case Visibility::Scope::All: return "1 = 1";
        case Visibility::Scope::Owner: params[param] = visibility.owner; return column + " = :" + param;
        case Visibility::Scope::Nothing: break;
    }
    return "0 = 1";
}

}  // namespace clipdex_ownership
