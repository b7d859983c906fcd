// The SQLite catalog: one database file, opened through SOCI's sqlite3 backend.
#pragma once

#include <filesystem>
#include <memory>

#include "catalog/dialect.hpp"
#include "catalog/sqlite/change_watcher.hpp"
#include "catalog/sqlite/statement_cache.hpp"

namespace clipdex::catalog::sqlite {

class SqliteDialect final : public Dialect {
public:
    /// Creates the file's parent directories. Throws CatalogError(CDX_E_IO) when that fails.
    explicit SqliteDialect(std::filesystem::path file);

    std::string_view name() const noexcept override { return "sqlite"; }
    std::string location() const override { return file_.string(); }
    void open(soci::session& session) override;
    StatementResult execute(soci::session& session, std::string_view sql, const json& params) override;
    void executeScript(soci::session& session, const std::string& sql) override;
    std::string_view beginTransactionSql() const noexcept override;
    void close(soci::session& session) override;
    std::optional<std::uint64_t> changeCounter() override { return watcher_->version(); }

private:
    std::filesystem::path file_;
    StatementCache statements_;
    std::unique_ptr<ChangeWatcher> watcher_;
};

}  // namespace clipdex::catalog::sqlite
