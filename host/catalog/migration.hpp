// A versioned schema change the host applies to a catalog, in version order, each in its own transaction.
#pragma once

#include <string>
#include <vector>

namespace clipdex::catalog {

struct Migration {
    int version;       ///< positive, strictly increasing through a migration list
    std::string name;  ///< short description, recorded in schema_migrations and named in errors
    std::string sql;   ///< one or more statements in the catalog's dialect
};

using MigrationList = std::vector<Migration>;

}  // namespace clipdex::catalog
