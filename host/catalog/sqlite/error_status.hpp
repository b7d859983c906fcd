// Which clipdex status a SQLite result code becomes.
#pragma once

#include <clipdex/abi.h>
#include <sqlite3.h>

namespace clipdex::catalog::sqlite {

inline cdx_status statusForResult(int result) noexcept {
    switch (result & 0xff) {  // extended codes keep the primary code in the low byte
        case SQLITE_CONSTRAINT: return CDX_E_CONFLICT;
        case SQLITE_ERROR:  // syntax errors, unknown tables and columns: the caller's SQL is wrong
        case SQLITE_MISMATCH:
        case SQLITE_RANGE:
        case SQLITE_TOOBIG: return CDX_E_INVALID_ARGUMENT;
        case SQLITE_BUSY:
        case SQLITE_LOCKED: return CDX_E_UNAVAILABLE;
        case SQLITE_INTERRUPT: return CDX_E_CANCELLED;
        case SQLITE_AUTH: return CDX_E_PERMISSION;
        case SQLITE_PERM:
        case SQLITE_READONLY:
        case SQLITE_IOERR:
        case SQLITE_CORRUPT:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_PROTOCOL:
        case SQLITE_NOTADB: return CDX_E_IO;
        default: return CDX_E_INTERNAL;
    }
}

}  // namespace clipdex::catalog::sqlite
