#include "catalog/transaction_scope.hpp"

#include <spdlog/spdlog.h>

namespace clipdex::catalog {

TransactionScope::TransactionScope(soci::session& session, Dialect& dialect) : session_(session), dialect_(dialect) {
    dialect_.execute(session_, dialect_.beginTransactionSql(), json::object());
}

TransactionScope::~TransactionScope() {
    if (finished_) return;
    try {
        dialect_.execute(session_, "ROLLBACK", json::object());
    } catch (const std::exception& error) {
        // SQLite rolls back by itself after some errors (disk full, I/O); then there is nothing left to undo.
        spdlog::debug("catalog {}: rollback: {}", dialect_.location(), error.what());
    }
}

void TransactionScope::commit() {
    dialect_.execute(session_, "COMMIT", json::object());
    finished_ = true;
}

}  // namespace clipdex::catalog
