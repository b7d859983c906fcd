// SQLite statements the catalog runs on every pooled connection and to start its transactions.
#pragma once

#include <array>
#include <string_view>

namespace clipdex::catalog::sqlite {

// busy_timeout comes first so that the journal_mode switch waits for other connections instead of failing.
// WAL lets readers run beside one writer; synchronous=NORMAL is durable under WAL except for the last commits
// before a power cut, which re-running a scan recovers. foreign_keys is per connection and off by default.
// mmap_size lets reads come straight from the OS page cache instead of a pread() copy into each connection's
// 2 MB cache: a full-text search at 100k clips reads index pages all over the file (p50 5.4 -> 4.6 ms). SQLite
// caps the size at its compile-time limit (2 GB in Debian's build); pages past it are read as before. Writes
// still go through the WAL, so mapping cannot corrupt the catalog.
inline constexpr std::array<std::string_view, 5> kConnectionPragmas = {
    "PRAGMA busy_timeout=5000",  "PRAGMA journal_mode=WAL",     "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL", "PRAGMA mmap_size=1099511627776",
};

inline constexpr std::string_view kExpectedJournalMode = "wal";

// IMMEDIATE takes the write lock up front, so busy_timeout applies. A deferred transaction that reads
// and then writes fails at once with SQLITE_BUSY when another connection committed in between.
inline constexpr std::string_view kBeginTransaction = "BEGIN IMMEDIATE";

}  // namespace clipdex::catalog::sqlite
