// The dialect-neutral Catalog: a pool of SOCI sessions, the parameter and transaction policy, and
// migrations on open. What differs between databases is delegated to a Dialect.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <memory>

#include "catalog/catalog.hpp"
#include "catalog/dialect.hpp"

namespace clipdex::catalog {

class SqlCatalog final : public Catalog {
public:
    /// Opens every pool session and applies `migrations`. Throws CatalogError.
    SqlCatalog(std::unique_ptr<Dialect> dialect, const MigrationList& migrations);
    ~SqlCatalog() override;

    std::string_view dialect() const noexcept override { return dialect_->name(); }
    std::string location() const override { return dialect_->location(); }
    json query(std::string_view sql, const json& params) override;
    json transaction(const json& statements) override;
    int schemaVersion() override;
    std::optional<std::uint64_t> changeCounter() override { return dialect_->changeCounter(); }

    /// Sessions in the pool: how many catalog calls run at once; further callers wait for a free session.
    static constexpr std::size_t kPoolSize = 4;

private:
    std::unique_ptr<Dialect> dialect_;
    soci::connection_pool pool_{kPoolSize};  // declared after dialect_: sessions close before it goes
};

}  // namespace clipdex::catalog
