// What callers may pass to query()/transaction(), independent of the database: parameter objects,
// placeholder/parameter matching, bindable value types, and no hand-made transaction control.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/json.hpp"

namespace clipdex::catalog {

/// A parameter value as every dialect binds it. JSON booleans arrive as 0/1.
using BindValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

/// The parameters as an object: null means "none". Throws CatalogError(CDX_E_INVALID_ARGUMENT) otherwise.
const json& paramsObject(const json& params);

/// Throws CatalogError(CDX_E_INVALID_ARGUMENT) naming the first placeholder without a parameter, then the
/// first parameter without a placeholder. `placeholders` are names without the leading ':'.
void checkParamNames(const std::vector<std::string>& placeholders, const json& params);

/// Throws CatalogError(CDX_E_INVALID_ARGUMENT) naming `name` for arrays, objects and integers beyond int64.
BindValue toBindValue(const std::string& name, const json& value);

/// True when the statement begins, ends or nests a transaction (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT,
/// RELEASE, START, ABORT), after leading whitespace and comments.
bool isTransactionControl(std::string_view sql);

}  // namespace clipdex::catalog
