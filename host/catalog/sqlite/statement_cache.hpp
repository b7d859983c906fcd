// Prepared statements kept per connection, so a query the server runs thousands of times a second is parsed
// and planned once rather than on every call. A pooled connection is used by one thread at a time, so a
// cached statement is never stepped concurrently; the mutex only guards the map itself.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace clipdex::catalog::sqlite {

class StatementCache {
public:
    StatementCache() = default;
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    /// The statement prepared earlier from `sql` on `db`, reset and unbound; nullptr when there is none.
    sqlite3_stmt* find(sqlite3* db, std::string_view sql);
    /// Takes ownership of `statement`, prepared on `db` from `sql`, which must be reset.
    void keep(sqlite3* db, std::string_view sql, sqlite3_stmt* statement);
    /// Finalizes every statement of `db`; call before the connection closes, or closing fails as busy.
    void forget(sqlite3* db);

private:
    // Generated SQL (search filters) can vary without end, so a connection's statements are dropped
    // wholesale past this many rather than tracked in LRU order.
    static constexpr std::size_t kMaxPerConnection = 256;
    std::mutex mutex_;
    std::unordered_map<sqlite3*, std::unordered_map<std::string, sqlite3_stmt*>> statements_;
};

}  // namespace clipdex::catalog::sqlite
