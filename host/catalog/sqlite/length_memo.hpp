// Document lengths an FTS5 ranking function has already read, kept for the connection's later statements.
//
// bm25 needs each scored row's length, a %_docsize b-tree lookup that is most of its cost per row (0.75 µs,
// against 0.05 µs to step the doclist). Search engines keep these "norms" in memory; here a connection keeps
// the lengths it has read, for as long as they are provably unchanged:
//   - the database's data version (SQLITE_FCNTL_DATA_VERSION: any commit, by this connection or another)
//     and this connection's own change count (uncommitted writes of its open transaction) are as they were
//     when the lengths were read, and
//   - the table is the same: its column count, row count and token total per column.
// Otherwise the memo starts again empty. A connection keeps a few memos, one per table it ranks, and never
// shares them with another thread.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace clipdex::catalog::sqlite {

/// The facts a memo entry is valid for; equal facts mean the lengths read under them still hold.
struct LengthMemoKey {
    unsigned data_version = 0;
    sqlite3_int64 own_changes = 0;
    sqlite3_int64 rows = 0;
    std::vector<sqlite3_int64> column_tokens;

    bool operator==(const LengthMemoKey& other) const = default;
};

class LengthMemo {
public:
    /// Rowids below this are kept (4 bytes per rowid up to the largest seen); larger ones are looked up.
    static constexpr sqlite3_int64 kMaxRowid = sqlite3_int64{1} << 24;

    [[nodiscard]] const std::optional<LengthMemoKey>& key() const { return key_; }
    /// Moves whenever the lengths are dropped: a statement holding the memo checks it before each use, in
    /// case another scan in the same statement took the memo over for another table.
    [[nodiscard]] std::uint64_t generation() const { return generation_; }
    /// Drops every length unless `key` is the one they were read under.
    void begin(LengthMemoKey key);
    [[nodiscard]] std::optional<int> find(sqlite3_int64 rowid) const;
    void store(sqlite3_int64 rowid, int length) noexcept;

private:
    std::optional<LengthMemoKey> key_;
    std::uint64_t generation_ = 0;
    std::vector<std::int32_t> lengths_;  // by rowid; -1 = not read
};

/// One connection's memos, one per FTS5 table (a catalog has two).
class LengthMemos {
public:
    /// The memo for the table of `fts` as it is now in the statement's snapshot, or nullptr when SQLite
    /// cannot tell the data version (the caller then reads every length).
    LengthMemo* forStatement(sqlite3* db, const Fts5ExtensionApi* api, Fts5Context* fts);

private:
    std::array<LengthMemo, 4> memos_;  // fixed: statements hold pointers into it
    std::size_t next_ = 0;             // the one to reuse when every memo is current for another table
};

}  // namespace clipdex::catalog::sqlite
