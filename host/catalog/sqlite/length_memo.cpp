#include "catalog/sqlite/length_memo.hpp"

#include <new>
#include <utility>

namespace clipdex::catalog::sqlite {

void LengthMemo::begin(LengthMemoKey key) {
    if (key_ && *key_ == key) return;
    key_ = std::move(key);
    ++generation_;
    lengths_.clear();
}

std::optional<int> LengthMemo::find(sqlite3_int64 rowid) const {
    if (rowid < 0 || rowid >= static_cast<sqlite3_int64>(lengths_.size())) return std::nullopt;
    const std::int32_t length = lengths_[static_cast<std::size_t>(rowid)];
    if (length < 0) return std::nullopt;
    return length;
}

void LengthMemo::store(sqlite3_int64 rowid, int length) noexcept {
    if (!key_ || rowid < 0 || rowid >= kMaxRowid || length < 0) return;
    const auto index = static_cast<std::size_t>(rowid);
    try {
        if (index >= lengths_.size()) lengths_.resize(index + 1, -1);
    } catch (const std::bad_alloc&) {
        return;  // the length is read again next time
    }
    lengths_[index] = length;
}

namespace {

std::optional<LengthMemoKey> keyNow(sqlite3* db, const Fts5ExtensionApi* api, Fts5Context* fts) {
    LengthMemoKey key;
    unsigned version = 0;
    if (db == nullptr || sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
        return std::nullopt;
    key.data_version = version;
    key.own_changes = sqlite3_total_changes64(db);
    if (api->xRowCount(fts, &key.rows) != SQLITE_OK) return std::nullopt;
    const int columns = api->xColumnCount(fts);
    for (int column = 0; column < columns; ++column) {
        sqlite3_int64 tokens = 0;
        if (api->xColumnTotalSize(fts, column, &tokens) != SQLITE_OK) return std::nullopt;
        key.column_tokens.push_back(tokens);
    }
    return key;
}

}  // namespace

LengthMemo* LengthMemos::forStatement(sqlite3* db, const Fts5ExtensionApi* api, Fts5Context* fts) {
    auto key = keyNow(db, api, fts);
    if (!key) return nullptr;
    for (LengthMemo& memo : memos_)
        if (memo.key() == key) return &memo;
    // An unused memo, or one read before the last change (of no use to any table now).
    for (LengthMemo& memo : memos_)
        if (!memo.key() || memo.key()->data_version != key->data_version ||
            memo.key()->own_changes != key->own_changes) {
            memo.begin(std::move(*key));
            return &memo;
        }
    LengthMemo& reused = memos_[next_];
    next_ = (next_ + 1) % memos_.size();
    reused.begin(std::move(*key));
    return &reused;
}

}  // namespace clipdex::catalog::sqlite
