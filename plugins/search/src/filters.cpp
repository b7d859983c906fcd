#include "filters.hpp"

#include "../../common/ownership.hpp"

namespace search {

void restrictToCaller(Where& where, const clipdex::Context& ctx) {
    const auto visibility = clipdex_ownership::visibilityOf(ctx);
    if (visibility.scope == clipdex_ownership::Visibility::Scope::All) return;
    const std::string condition = clipdex_ownership::ownerCondition(visibility, "c.user_id", where.params, "f_owner");
    where.sql = where.sql == Where().sql ? condition : where.sql + " AND " + condition;
}

}  // namespace search
