#include "catalog/sqlite/change_watcher.hpp"

#include <sqlite3.h>

#include "catalog/catalog.hpp"
#include "catalog/sqlite/error_status.hpp"

namespace clipdex::catalog::sqlite {

ChangeWatcher::~ChangeWatcher() {
    sqlite3_finalize(statement_);
    sqlite3_close(db_);
}

void ChangeWatcher::open() {
    // Read-write without create: the catalog exists (the pool opened it), and a read-only connection could
    // not use the WAL index when it has to be rebuilt.
    sqlite3* db = nullptr;
    int result = sqlite3_open_v2(file_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (result == SQLITE_OK) result = sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    if (result == SQLITE_OK) result = sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &statement, nullptr);
    if (result != SQLITE_OK) {
        const std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result);
        sqlite3_close(db);
        throw CatalogError(statusForResult(result), "cannot watch catalog " + file_.string() + ": " + message);
    }
    db_ = db;
    statement_ = statement;
}

std::uint64_t ChangeWatcher::version() {
    std::lock_guard lock(mutex_);
    if (db_ == nullptr) open();
    const int result = sqlite3_step(statement_);
    const auto version = result == SQLITE_ROW ? static_cast<std::uint64_t>(sqlite3_column_int64(statement_, 0)) : 0;
    sqlite3_reset(statement_);
    if (result != SQLITE_ROW)
        throw CatalogError(statusForResult(result),
                           "cannot read the data version of catalog " + file_.string() + ": " + sqlite3_errmsg(db_));
    return version;
}

}  // namespace clipdex::catalog::sqlite
