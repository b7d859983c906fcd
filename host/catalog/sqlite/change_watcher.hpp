// Tells whether the catalog file changed, for caches that must never serve what a later commit replaced.
// A dedicated connection that never writes asks SQLite for PRAGMA data_version, which moves whenever any
// other connection, in this process or another (a CLI ingest, a second server), commits.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>

struct sqlite3;
struct sqlite3_stmt;

namespace clipdex::catalog::sqlite {

class ChangeWatcher {
public:
    explicit ChangeWatcher(std::filesystem::path file) : file_(std::move(file)) {}
    ~ChangeWatcher();
    ChangeWatcher(const ChangeWatcher&) = delete;
    ChangeWatcher& operator=(const ChangeWatcher&) = delete;

    /// The current data version; equal values mean nothing was committed in between. Opens the watching
    /// connection on first use. Throws CatalogError when the file cannot be read. Thread-safe.
    std::uint64_t version();

private:
    void open();

    std::filesystem::path file_;
    std::mutex mutex_;
    sqlite3* db_ = nullptr;
    sqlite3_stmt* statement_ = nullptr;
};

}  // namespace clipdex::catalog::sqlite
