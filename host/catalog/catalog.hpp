// The host-owned catalog: a SOCI session pool on embedded SQLite (default) or, later, PostgreSQL.
// Plugins reach it only through clipdex.catalog/1 (host/services), which forwards here.
#pragma once

#include <clipdex/abi.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "catalog/migration.hpp"
#include "core/json.hpp"

namespace clipdex::catalog {

/// A catalog failure with the status the caller should see (e.g. CDX_E_INVALID_ARGUMENT for bad SQL or
/// parameters, CDX_E_IO when the file cannot be opened, CDX_E_CONFLICT for constraint violations).
class CatalogError : public std::runtime_error {
public:
    CatalogError(cdx_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    cdx_status status() const noexcept { return status_; }

private:
    cdx_status status_;
};

class Catalog {
public:
    virtual ~Catalog() = default;
    /// "sqlite" or "postgresql".
    virtual std::string_view dialect() const noexcept = 0;
    /// Where the catalog lives, safe to print (no passwords).
    virtual std::string location() const = 0;
    /// Runs one statement with named parameters (":name" bound from the params object; values are never
    /// spliced into SQL). Returns an array of row objects, column name -> JSON value. Thread-safe.
    /// params may be null for a statement without placeholders (`query(sql, {})` passes null).
    virtual json query(std::string_view sql, const json& params) = 0;
    /// Runs [{"sql", "params"}...] in one transaction, all or nothing. Returns {"affected": [n...]}.
    virtual json transaction(const json& statements) = 0;
    /// The schema version after migrations (the highest applied migration).
    virtual int schemaVersion() = 0;
    /// A number that changes whenever a transaction commits, from any connection of any process; nullopt when
    /// the database cannot tell cheaply, and then nothing may be cached against the catalog. Thread-safe.
    virtual std::optional<std::uint64_t> changeCounter() = 0;
};

/// Opens (creating if needed) and migrates the catalog at `location`: a file path or "sqlite:PATH" for
/// SQLite. Throws CatalogError naming the location and what to do.
std::unique_ptr<Catalog> openCatalog(const std::string& location);

/// Same, but applies `migrations` instead of the built-in schema of the location's dialect. For tests and tools
/// that need their own schema history; throws CatalogError(CDX_E_INVALID_ARGUMENT) for a malformed list.
std::unique_ptr<Catalog> openCatalog(const std::string& location, MigrationList migrations);

}  // namespace clipdex::catalog
