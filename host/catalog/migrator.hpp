// Versioned schema migrations, recorded in schema_migrations(version, name, applied_at). Dialect-neutral.
#pragma once

#include "catalog/dialect.hpp"
#include "catalog/migration.hpp"

namespace clipdex::catalog {

/// Throws CatalogError(CDX_E_INVALID_ARGUMENT) unless versions are positive and strictly increasing and
/// every migration has a name and SQL.
void validateMigrations(const MigrationList& migrations);

/// The highest recorded version, 0 for a catalog without migrations.
int appliedVersion(soci::session& session, Dialect& dialect);

/// Applies every migration newer than the catalog's version, each in its own transaction. Throws
/// CatalogError(CDX_E_UNAVAILABLE) without changing anything when the catalog is newer than `migrations`,
/// and CatalogError naming the migration when one fails (that migration is rolled back completely).
void migrate(soci::session& session, Dialect& dialect, const MigrationList& migrations);

}  // namespace clipdex::catalog
