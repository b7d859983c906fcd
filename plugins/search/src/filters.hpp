// The clip filters shared by the fulltext backend and every listing command: one parameterised WHERE
// fragment over the clips table (alias `c`). Values are always bound, never spliced into the SQL.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"

namespace search {

struct Where {
    std::string sql = "1 = 1";     ///< conditions joined by AND, to follow a WHERE
    json params = json::object();  ///< bound values, names prefixed "f_"
};

/// The filter argument names, as declared in every command's args schema.
const std::vector<std::string>& filterNames();

/// The filters among a command's arguments (absent and null ones left out). `date_start` / `date_end`
/// (the original API's names) become processed_after / processed_before.
json filtersFromArgs(const json& args);

/// Checks and turns a filters object into SQL. Unknown names and bad values throw
/// Error(CDX_E_INVALID_ARGUMENT, message naming the field and what to give, {"field": name}).
Where buildWhere(const json& filters);

/// Adds the caller's visibility (plugins/common/ownership.hpp) to `where`: nothing for an admin, else the
/// owner condition on c.user_id. Every clip listing, search and count goes through it.
void restrictToCaller(Where& where, const clipdex::Context& ctx);

}  // namespace search
