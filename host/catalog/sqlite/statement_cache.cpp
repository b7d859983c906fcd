#include "catalog/sqlite/statement_cache.hpp"

#include <sqlite3.h>

namespace clipdex::catalog::sqlite {
namespace {

void finalizeAll(std::unordered_map<std::string, sqlite3_stmt*>& statements) {
    for (auto& [sql, statement] : statements) sqlite3_finalize(statement);
    statements.clear();
}

}  // namespace

StatementCache::~StatementCache() {
    for (auto& [db, statements] : statements_) finalizeAll(statements);
}

sqlite3_stmt* StatementCache::find(sqlite3* db, std::string_view sql) {
    std::lock_guard lock(mutex_);
    const auto connection = statements_.find(db);
    if (connection == statements_.end()) return nullptr;
    const auto found = connection->second.find(std::string(sql));
    return found == connection->second.end() ? nullptr : found->second;
}

void StatementCache::keep(sqlite3* db, std::string_view sql, sqlite3_stmt* statement) {
    std::lock_guard lock(mutex_);
    auto& statements = statements_[db];
    if (statements.size() >= kMaxPerConnection) finalizeAll(statements);
    auto [slot, inserted] = statements.emplace(std::string(sql), statement);
    if (!inserted) sqlite3_finalize(statement);  // cannot happen on one connection, but never leak
}

void StatementCache::forget(sqlite3* db) {
    std::lock_guard lock(mutex_);
    const auto connection = statements_.find(db);
    if (connection == statements_.end()) return;
    finalizeAll(connection->second);
    statements_.erase(connection);
}

}  // namespace clipdex::catalog::sqlite
