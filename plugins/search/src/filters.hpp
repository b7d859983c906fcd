// The clip filters of the fulltext backend and every listing command: the shared builder
// (plugins/common/clip_filters.hpp, also used by clipdex.vectors) plus the caller's visibility.
#pragma once

#include "../../common/clip_filters.hpp"
#include "common.hpp"

namespace search {

using clipdex_filters::buildWhere;
using clipdex_filters::filterNames;
using clipdex_filters::filtersFromArgs;
using clipdex_filters::Where;

/// Adds the caller's visibility (plugins/common/ownership.hpp) to `where`: nothing for an admin, else the
/// owner condition on c.user_id. Every clip listing, search and count goes through it.
void restrictToCaller(Where& where, const clipdex::Context& ctx);

}  // namespace search
