// What differs between catalog databases. SqlCatalog holds the dialect-neutral logic (pool, parameter
// policy, transactions, migrations); a Dialect connects sessions and runs statements for one database.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace clipdex::catalog {

struct StatementResult {
    json rows = json::array();  ///< row objects, column name -> value
    std::int64_t affected = 0;  ///< rows inserted, updated or deleted; 0 for other statements
};

class Dialect {
public:
    virtual ~Dialect() = default;
    virtual std::string_view name() const noexcept = 0;
    /// Printable location, never containing credentials.
    virtual std::string location() const = 0;
    /// Connects one pool session and applies per-connection settings. Throws CatalogError.
    virtual void open(soci::session& session) = 0;
    /// Runs one statement with :name placeholders bound from `params` (an object; validated with
    /// checkParamNames). Throws CatalogError with the database's message.
    virtual StatementResult execute(soci::session& session, std::string_view sql, const json& params) = 0;
    /// Runs a multi-statement script without parameters (migrations). Throws CatalogError.
    virtual void executeScript(soci::session& session, const std::string& sql) = 0;
    /// The statement that opens a read-write transaction.
    virtual std::string_view beginTransactionSql() const noexcept = 0;
    /// Releases what the dialect keeps for the connection (cached statements) before the session closes.
    virtual void close(soci::session& /*session*/) {}
    /// See Catalog::changeCounter.
    virtual std::optional<std::uint64_t> changeCounter() { return std::nullopt; }
};

}  // namespace clipdex::catalog
