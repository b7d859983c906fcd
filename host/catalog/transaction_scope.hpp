// All-or-nothing scope on one session: begins in the constructor, rolls back unless commit() succeeded.
// Used instead of soci::transaction because the dialect chooses how to begin (SQLite: BEGIN IMMEDIATE).
#pragma once

#include "catalog/dialect.hpp"

namespace clipdex::catalog {

class TransactionScope {
public:
    /// Throws CatalogError when the transaction cannot begin (e.g. the write lock stays busy).
    TransactionScope(soci::session& session, Dialect& dialect);
    ~TransactionScope();
    TransactionScope(const TransactionScope&) = delete;
    TransactionScope& operator=(const TransactionScope&) = delete;

    /// Throws CatalogError; the destructor then rolls back.
    void commit();

private:
    soci::session& session_;
    Dialect& dialect_;
    bool finished_ = false;
};

}  // namespace clipdex::catalog
