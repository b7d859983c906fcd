#include "catalog/sql_catalog.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

#include "catalog/migrator.hpp"
#include "catalog/statement_policy.hpp"
#include "catalog/transaction_scope.hpp"

namespace clipdex::catalog {
namespace {

// A pooled session left inside a hand-made transaction would hold the write lock for its next user, and a
// COMMIT inside transaction() would break all-or-nothing.
void rejectTransactionControl(std::string_view sql, std::string_view where) {
    if (isTransactionControl(sql))
        throw CatalogError(CDX_E_INVALID_ARGUMENT, std::string(where) +
                                                       " must not begin or end transactions (BEGIN, COMMIT, ROLLBACK, "
                                                       "SAVEPOINT...); pass the statements to transaction() instead");
}

struct PlannedStatement {
    std::string sql;
    json params;
};

std::string statementLabel(std::size_t index, std::size_t count) {
    return "transaction statement " + std::to_string(index + 1) + " of " + std::to_string(count);
}

// Checks the whole batch before touching the database.
std::vector<PlannedStatement> planTransaction(const json& statements) {
    if (!statements.is_array())
        throw CatalogError(CDX_E_INVALID_ARGUMENT,
                           "a catalog transaction is an array of {\"sql\": ..., \"params\": {...}} objects");
    std::vector<PlannedStatement> planned;
    for (std::size_t i = 0; i < statements.size(); ++i) {
        const json& entry = statements[i];
        const std::string label = statementLabel(i, statements.size());
        if (!entry.is_object() || !entry.contains("sql") || !entry.at("sql").is_string())
            throw CatalogError(CDX_E_INVALID_ARGUMENT, label + " needs a \"sql\" string");
        for (const auto& item : entry.items()) {
            if (item.key() != "sql" && item.key() != "params")
                throw CatalogError(CDX_E_INVALID_ARGUMENT, label + " has an unknown field \"" + item.key() +
                                                               "\" (expected \"sql\" and \"params\")");
        }
        PlannedStatement statement{entry.at("sql").get<std::string>(), json::object()};
        try {
            rejectTransactionControl(statement.sql, "statements in a transaction");
            statement.params = paramsObject(entry.value("params", json()));
        } catch (const CatalogError& error) {
            throw CatalogError(error.status(), label + ": " + error.what());
        }
        planned.push_back(std::move(statement));
    }
    return planned;
}

}  // namespace

SqlCatalog::SqlCatalog(std::unique_ptr<Dialect> dialect, const MigrationList& migrations)
    : dialect_(std::move(dialect)) {
    validateMigrations(migrations);
    try {
        for (std::size_t i = 0; i < kPoolSize; ++i) dialect_->open(pool_.at(i));
        soci::session session(pool_);
        migrate(session, *dialect_, migrations);
    } catch (...) {
        for (std::size_t i = 0; i < kPoolSize; ++i) dialect_->close(pool_.at(i));
        throw;
    }
    spdlog::debug("catalog {} ({}) is open", dialect_->location(), dialect_->name());
}

SqlCatalog::~SqlCatalog() {
    for (std::size_t i = 0; i < kPoolSize; ++i) dialect_->close(pool_.at(i));
}

json SqlCatalog::query(std::string_view sql, const json& params) {
    const json& bound = paramsObject(params);
    rejectTransactionControl(sql, "a catalog query");
    soci::session session(pool_);
    return dialect_->execute(session, sql, bound).rows;
}

json SqlCatalog::transaction(const json& statements) {
    const auto planned = planTransaction(statements);
    json affected = json::array();
    soci::session session(pool_);
    TransactionScope scope(session, *dialect_);
    for (std::size_t i = 0; i < planned.size(); ++i) {
        try {
            affected.push_back(dialect_->execute(session, planned[i].sql, planned[i].params).affected);
        } catch (const CatalogError& error) {
            throw CatalogError(error.status(),
                               statementLabel(i, planned.size()) + " failed, nothing was changed: " + error.what());
        }
    }
    scope.commit();
    return {{"affected", std::move(affected)}};
}

int SqlCatalog::schemaVersion() {
    soci::session session(pool_);
    return appliedVersion(session, *dialect_);
}

}  // namespace clipdex::catalog
