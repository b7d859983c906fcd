// The only place that touches SOCI's sqlite3 backend header: it wraps <sqlite3.h> in namespace sqlite_api,
// which clashes with the plain C API used everywhere else in the catalog.
#pragma once

#include <soci/soci.h>

#include <filesystem>

struct sqlite3;

namespace clipdex::catalog::sqlite {

/// Opens `session` on `file` with SOCI's sqlite3 backend. Throws CatalogError naming the file.
void connect(soci::session& session, const std::filesystem::path& file);

/// The raw connection of a session opened by connect().
::sqlite3* nativeHandle(soci::session& session);

}  // namespace clipdex::catalog::sqlite
