// openCatalog: picks the dialect from the location string. Locations may carry credentials (PostgreSQL
// URLs), so errors name only the scheme, never the whole location.
#include <cctype>
#include <optional>
#include <utility>

#include "catalog/catalog.hpp"
#include "catalog/sql_catalog.hpp"
#include "catalog/sqlite/dialect.hpp"
#include "catalog/sqlite/migrations.hpp"

namespace clipdex::catalog {
namespace {

struct ParsedLocation {
    std::string scheme;  // lower case; "sqlite" for plain paths
    std::string rest;    // after "scheme:"
};

bool isSchemeName(std::string_view text) {
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text.front()))) return false;
    for (const char c : text) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return true;
}

// "sqlite:PATH", "postgresql:..." and anything shaped like "scheme://..." are URLs; every other string,
// including a relative file name with a colon in it, is a SQLite file path.
ParsedLocation parseLocation(const std::string& location) {
    const auto colon = location.find(':');
    if (colon != std::string::npos && isSchemeName(std::string_view(location).substr(0, colon))) {
        std::string scheme = location.substr(0, colon);
        for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string rest = location.substr(colon + 1);
        const bool known = scheme == "sqlite" || scheme == "postgresql" || scheme == "postgres";
        if (known || rest.rfind("//", 0) == 0) return {scheme, rest};
    }
    return {"sqlite", location};
}

std::unique_ptr<Catalog> open(const std::string& location, std::optional<MigrationList> migrations) {
    const ParsedLocation parsed = parseLocation(location);
    if (parsed.scheme == "postgresql" || parsed.scheme == "postgres")
        throw CatalogError(CDX_E_UNSUPPORTED, "catalog location uses " + parsed.scheme +
                                                  ": PostgreSQL catalogs arrive in a later release; use a SQLite path");
    if (parsed.scheme != "sqlite")
        throw CatalogError(CDX_E_UNSUPPORTED, "catalog location scheme '" + parsed.scheme +
                                                  "' is not supported; use a SQLite file path or sqlite:PATH");
    if (parsed.rest.empty())
        throw CatalogError(CDX_E_INVALID_ARGUMENT, "the catalog location is empty; give a SQLite file path");
    // Every pool session would get its own private in-memory database.
    if (parsed.rest == ":memory:")
        throw CatalogError(CDX_E_INVALID_ARGUMENT, "an in-memory catalog is not supported; give a SQLite file path");
    auto dialect = std::make_unique<sqlite::SqliteDialect>(parsed.rest);
    return std::make_unique<SqlCatalog>(std::move(dialect), migrations ? *migrations : sqlite::builtinMigrations());
}

}  // namespace

std::unique_ptr<Catalog> openCatalog(const std::string& location) {
    return open(location, std::nullopt);
}

std::unique_ptr<Catalog> openCatalog(const std::string& location, MigrationList migrations) {
    return open(location, std::move(migrations));
}

}  // namespace clipdex::catalog
