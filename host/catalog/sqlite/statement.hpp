// Running one statement on a raw SQLite connection: prepare, bind :name parameters, step, read rows.
#pragma once

#include <string_view>

#include "catalog/dialect.hpp"
#include "core/json.hpp"

struct sqlite3;

namespace clipdex::catalog::sqlite {
class StatementCache;
}

namespace clipdex::catalog::sqlite {

/// Runs exactly one statement. Values keep SQLite's storage class: INTEGER -> integer, REAL -> number,
/// TEXT -> string, NULL -> null, BLOB -> base64 string. Throws CatalogError. With a cache, the prepared
/// statement is kept for the next call with the same SQL on this connection.
StatementResult runStatement(sqlite3* db, std::string_view sql, const json& params, StatementCache* cache = nullptr);

/// Throws CatalogError for result code `result`, with the connection's message after `context`.
[[noreturn]] void throwError(sqlite3* db, int result, std::string_view context = {});

}  // namespace clipdex::catalog::sqlite
