#include "catalog/sqlite/dialect.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <mutex>
#include <system_error>

#include "catalog/catalog.hpp"
#include "catalog/sqlite/connection.hpp"
#include "catalog/sqlite/connection_settings.hpp"
#include "catalog/sqlite/error_status.hpp"
#include "catalog/sqlite/page_aggregate.hpp"
#include "catalog/sqlite/ranking_functions.hpp"
#include "catalog/sqlite/statement.hpp"

namespace clipdex::catalog::sqlite {

namespace {

// SQLite counts every allocation under one process-wide mutex unless told not to (SQLITE_CONFIG_MEMSTATUS);
// the catalog never reads those counters, and concurrent readers (full-text partitions, the HTTP workers)
// queued on that lock. It can only be set before SQLite initialises; if something in the process already
// did, the setting stays as it was, which changes speed only.
void configureLibrary() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
            spdlog::debug("SQLite was initialised before the catalog; its memory statistics stay on");
    });
}

}  // namespace

// Absolute, so the location prints unambiguously and SQLite (built with URI filenames) never reads a
// relative "file:..." name as a URI.
SqliteDialect::SqliteDialect(std::filesystem::path file) {
    configureLibrary();
    std::error_code error;
    file_ = std::filesystem::absolute(file, error);
    if (error) throw CatalogError(CDX_E_IO, "cannot resolve catalog path " + file.string() + ": " + error.message());
    // SOCI's connection string quotes the path with '"' and has no escape for it.
    if (file_.string().find('"') != std::string::npos)
        throw CatalogError(CDX_E_INVALID_ARGUMENT, "catalog path " + file_.string() +
                                                       " contains a double quote, which SQLite catalogs cannot use; "
                                                       "choose another path");
    const auto parent = file_.parent_path();
    std::filesystem::create_directories(parent, error);
    if (error)
        throw CatalogError(CDX_E_IO, "cannot create directory " + parent.string() + " for catalog " + file_.string() +
                                         ": " + error.message());
    watcher_ = std::make_unique<ChangeWatcher>(file_);
}

void SqliteDialect::open(soci::session& session) {
    connect(session, file_);
    sqlite3* db = nativeHandle(session);
    json journal;
    try {
        for (const auto pragma : kConnectionPragmas) runStatement(db, pragma, json::object());
        registerRankingFunctions(db);
        registerPageAggregate(db);
        journal = runStatement(db, "PRAGMA journal_mode", json::object()).rows;
    } catch (const CatalogError& error) {
        throw CatalogError(error.status(), "cannot open catalog " + file_.string() + ": " + error.what());
    }
    const std::string mode = journal.empty() ? "unknown" : journal.front().value("journal_mode", "unknown");
    // Some file systems (network mounts) cannot do WAL; SQLite then keeps its rollback journal.
    if (mode != kExpectedJournalMode)
        spdlog::warn("catalog {}: journal mode is {}, not WAL; readers will wait for writers", file_.string(), mode);
}

StatementResult SqliteDialect::execute(soci::session& session, std::string_view sql, const json& params) {
    return runStatement(nativeHandle(session), sql, params, &statements_);
}

void SqliteDialect::close(soci::session& session) {
    if (session.get_backend() == nullptr) return;  // never opened (a failed start)
    statements_.forget(nativeHandle(session));
}

void SqliteDialect::executeScript(soci::session& session, const std::string& sql) {
    sqlite3* db = nativeHandle(session);
    char* message = nullptr;
    const int result = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    if (result == SQLITE_OK) return;
    const std::string text = message != nullptr ? message : sqlite3_errstr(result);
    sqlite3_free(message);
    throw CatalogError(statusForResult(result), text);
}

std::string_view SqliteDialect::beginTransactionSql() const noexcept {
    return kBeginTransaction;
}

}  // namespace clipdex::catalog::sqlite
