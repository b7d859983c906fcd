#include "catalog/migrator.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <string>

#include "catalog/catalog.hpp"
#include "catalog/transaction_scope.hpp"

namespace clipdex::catalog {
namespace {

// Portable DDL: the same statement works on SQLite and PostgreSQL.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

constexpr std::string_view kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:version, :name, :applied_at)";

std::string utcNowIso8601() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[sizeof "2000-01-01T00:00:00Z"];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

int newestVersion(const MigrationList& migrations) {
    return migrations.empty() ? 0 : migrations.back().version;
}

void refuseIfNewer(int applied, const MigrationList& migrations, const Dialect& dialect) {
    if (applied <= newestVersion(migrations)) return;
    throw CatalogError(CDX_E_UNAVAILABLE, "catalog " + dialect.location() + " has schema version " +
                                              std::to_string(applied) + ", newer than this clipdex supports (" +
                                              std::to_string(newestVersion(migrations)) + "); upgrade clipdex");
}

enum class Outcome { applied, appliedElsewhere, catalogNewer };

// Re-reads the version under the write lock: another process may have migrated since we looked.
Outcome applyOne(soci::session& session, Dialect& dialect, const Migration& migration,
                 const MigrationList& migrations) {
    TransactionScope transaction(session, dialect);
    const int applied = appliedVersion(session, dialect);
    if (applied > newestVersion(migrations)) return Outcome::catalogNewer;
    if (migration.version <= applied) return Outcome::appliedElsewhere;
    dialect.executeScript(session, migration.sql);
    dialect.execute(session, kRecordMigration,
                    {{"version", migration.version}, {"name", migration.name}, {"applied_at", utcNowIso8601()}});
    transaction.commit();
    return Outcome::applied;
}

}  // namespace

void validateMigrations(const MigrationList& migrations) {
    int previous = 0;
    for (const auto& migration : migrations) {
        if (migration.version <= previous)
            throw CatalogError(CDX_E_INVALID_ARGUMENT, "migration versions must be positive and increasing; " +
                                                           std::to_string(migration.version) + " follows " +
                                                           std::to_string(previous));
        if (migration.name.empty() || migration.sql.empty())
            throw CatalogError(CDX_E_INVALID_ARGUMENT,
                               "migration " + std::to_string(migration.version) + " needs a name and SQL");
        previous = migration.version;
    }
}

int appliedVersion(soci::session& session, Dialect& dialect) {
    const auto rows =
        dialect.execute(session, "SELECT MAX(version) AS version FROM schema_migrations", json::object()).rows;
    if (rows.empty() || rows.front().at("version").is_null()) return 0;
    return rows.front().at("version").get<int>();
}

void migrate(soci::session& session, Dialect& dialect, const MigrationList& migrations) {
    int initial = 0;
    try {
        dialect.execute(session, kCreateMigrationsTable, json::object());
        initial = appliedVersion(session, dialect);
    } catch (const CatalogError& error) {
        throw CatalogError(error.status(),
                           "catalog " + dialect.location() + ": cannot read its schema version: " + error.what());
    }
    refuseIfNewer(initial, migrations, dialect);
    int current = initial;
    for (const auto& migration : migrations) {
        if (migration.version <= current) continue;
        Outcome outcome;
        try {
            outcome = applyOne(session, dialect, migration, migrations);
        } catch (const CatalogError& error) {
            // Bad SQL in a shipped migration is a defect of this binary, not of the caller's input.
            const cdx_status status = error.status() == CDX_E_INVALID_ARGUMENT ? CDX_E_INTERNAL : error.status();
            throw CatalogError(status, "catalog " + dialect.location() + ": migration " +
                                           std::to_string(migration.version) + " (" + migration.name +
                                           ") failed and was rolled back, schema version stays " +
                                           std::to_string(current) + ": " + error.what());
        }
        if (outcome == Outcome::catalogNewer) refuseIfNewer(appliedVersion(session, dialect), migrations, dialect);
        if (outcome == Outcome::applied)
            spdlog::info("catalog {}: applied migration {} ({})", dialect.location(), migration.version,
                         migration.name);
        current = migration.version;
    }
}

}  // namespace clipdex::catalog
