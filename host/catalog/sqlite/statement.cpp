// SOCI 4.0.3's sqlite3 backend types result columns by their declared type: an INTEGER column is read
// as a 32-bit int (5000000000 comes back as 705032704) and an expression such as COUNT(*) as a string.
// Reading each value's own storage class through the C API keeps 64-bit integers and numbers intact.
#include "catalog/sqlite/statement.hpp"

#include <sqlite3.h>

#include <climits>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/sqlite/error_status.hpp"
#include "catalog/sqlite/statement_cache.hpp"
#include "catalog/statement_policy.hpp"

namespace clipdex::catalog::sqlite {
namespace {

struct Finalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, Finalizer>;

// Preparing what follows the first statement tells real SQL apart from trailing blanks and comments;
// without this check SQLite would silently ignore everything after the first ';'.
void requireSingleStatement(sqlite3* db, const char* tail, const char* end) {
    if (tail == nullptr || tail >= end) return;
    sqlite3_stmt* next = nullptr;
    const int result = sqlite3_prepare_v2(db, tail, static_cast<int>(end - tail), &next, nullptr);
    StatementPtr guard(next);
    if (result != SQLITE_OK || next != nullptr)
        throw CatalogError(CDX_E_INVALID_ARGUMENT,
                           "a catalog query runs one SQL statement; found more SQL after the first ';' "
                           "(use a transaction for several statements)");
}

// Only ":name" placeholders: they are the portable SOCI syntax, and names make parameter objects
// self-describing. SQLite's parser has already found them, so quoted text never counts.
std::vector<std::string> placeholderNames(sqlite3_stmt* statement) {
    std::vector<std::string> names;
    const int count = sqlite3_bind_parameter_count(statement);
    for (int index = 1; index <= count; ++index) {
        const char* name = sqlite3_bind_parameter_name(statement, index);
        if (name == nullptr || name[0] != ':')
            throw CatalogError(CDX_E_INVALID_ARGUMENT, "placeholder '" + std::string(name == nullptr ? "?" : name) +
                                                           "' is not supported; use named placeholders like :name");
        names.emplace_back(name + 1);
    }
    return names;
}

void bindValue(sqlite3* db, sqlite3_stmt* statement, int index, const BindValue& value) {
    int result = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) {
        result = sqlite3_bind_null(statement, index);
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        result = sqlite3_bind_int64(statement, index, *integer);
    } else if (const auto* number = std::get_if<double>(&value)) {
        result = sqlite3_bind_double(statement, index, *number);
    } else {
        const auto& text = std::get<std::string>(value);
        result = sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (result != SQLITE_OK) throwError(db, result, "cannot bind a parameter");
}

std::string base64(const unsigned char* data, std::size_t size) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    for (std::size_t i = 0; i < size; i += 3) {
        const std::size_t left = size - i;
        const unsigned chunk = (data[i] << 16) | (left > 1 ? data[i + 1] << 8 : 0) | (left > 2 ? data[i + 2] : 0);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += left > 2 ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

json columnValue(sqlite3_stmt* statement, int column) {
    switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(statement, column));
        case SQLITE_FLOAT: return sqlite3_column_double(statement, column);
        case SQLITE_TEXT: {
            // text before bytes: the byte count refers to the last conversion.
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
            return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
        }
        case SQLITE_BLOB: {
            const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(statement, column));
            return base64(blob, static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
        }
        default: return nullptr;
    }
}

json currentRow(sqlite3_stmt* statement) {
    json row = json::object();
    const int columns = sqlite3_column_count(statement);
    for (int column = 0; column < columns; ++column) {
        const char* name = sqlite3_column_name(statement, column);
        row[name != nullptr ? name : "column" + std::to_string(column + 1)] = columnValue(statement, column);
    }
    return row;
}

}  // namespace

void throwError(sqlite3* db, int result, std::string_view context) {
    std::string message(context);
    if (!message.empty()) message += ": ";
    message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result);
    throw CatalogError(statusForResult(result), message);
}

namespace {

StatementResult step(sqlite3* db, sqlite3_stmt* statement, const json& params) {
    const auto names = placeholderNames(statement);
    checkParamNames(names, params);
    for (std::size_t i = 0; i < names.size(); ++i)
        bindValue(db, statement, static_cast<int>(i + 1), toBindValue(names[i], params.at(names[i])));

    StatementResult result;
    const sqlite3_int64 changes_before = sqlite3_total_changes64(db);
    for (;;) {
        const int stepped = sqlite3_step(statement);
        if (stepped == SQLITE_DONE) break;
        if (stepped != SQLITE_ROW) throwError(db, stepped);
        result.rows.push_back(currentRow(statement));
    }
    // sqlite3_changes keeps the count of the last INSERT/UPDATE/DELETE, so it is only meaningful when this
    // statement changed something (DDL and SELECT leave the total untouched).
    if (sqlite3_total_changes64(db) != changes_before) result.affected = sqlite3_changes64(db);
    return result;
}

/// Leaves a statement that goes back to the cache reset and unbound, whatever happened while it ran.
struct ResetOnExit {
    sqlite3_stmt* statement;
    ~ResetOnExit() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }
};

}  // namespace

StatementResult runStatement(sqlite3* db, std::string_view sql, const json& params, StatementCache* cache) {
    if (sql.size() >= static_cast<std::size_t>(INT_MAX))
        throw CatalogError(CDX_E_INVALID_ARGUMENT, "SQL statement is too long");
    if (cache != nullptr)
        if (sqlite3_stmt* cached = cache->find(db, sql)) {
            ResetOnExit reset{cached};
            return step(db, cached, params);
        }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int prepared = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                            cache != nullptr ? SQLITE_PREPARE_PERSISTENT : 0, &raw, &tail);
    StatementPtr statement(raw);
    if (prepared != SQLITE_OK) throwError(db, prepared);
    if (!statement) throw CatalogError(CDX_E_INVALID_ARGUMENT, "the SQL statement is empty");
    requireSingleStatement(db, tail, sql.data() + sql.size());
    if (cache == nullptr) return step(db, statement.get(), params);
    StatementResult result;
    {
        ResetOnExit reset{statement.get()};
        result = step(db, statement.get(), params);
    }
    cache->keep(db, sql, statement.release());
    return result;
}

}  // namespace clipdex::catalog::sqlite
