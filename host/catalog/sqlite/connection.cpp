#include "catalog/sqlite/connection.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

#include "catalog/catalog.hpp"
#include "catalog/sqlite/error_status.hpp"

namespace clipdex::catalog::sqlite {

void connect(soci::session& session, const std::filesystem::path& file) {
    // SOCI's connection string quotes the path with '"'; SqliteDialect rejects paths containing one.
    try {
        session.open(soci::sqlite3, "db=\"" + file.string() + "\"");
    } catch (const soci::sqlite3_soci_error& error) {
        throw CatalogError(statusForResult(error.result()),
                           "cannot open catalog " + file.string() + ": " + sqlite_api::sqlite3_errstr(error.result()));
    } catch (const soci::soci_error& error) {
        throw CatalogError(CDX_E_IO, "cannot open catalog " + file.string() + ": " + error.get_error_message());
    }
}

::sqlite3* nativeHandle(soci::session& session) {
    // Every catalog session was opened by connect(), so the backend is SOCI's sqlite3 one. The two sqlite3
    // types name the same opaque C struct.
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    return reinterpret_cast<::sqlite3*>(backend->conn_);
}

}  // namespace clipdex::catalog::sqlite
