#include "core/status.hpp"

namespace clipdex {

std::string_view statusName(cdx_status status) noexcept {
    switch (status) {
        case CDX_OK: return "OK";
        case CDX_E_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
        case CDX_E_NOT_FOUND: return "NOT_FOUND";
        case CDX_E_PERMISSION: return "PERMISSION_DENIED";
        case CDX_E_UNSUPPORTED: return "UNSUPPORTED";
        case CDX_E_CANCELLED: return "CANCELLED";
        case CDX_E_TIMEOUT: return "TIMEOUT";
        case CDX_E_UNAVAILABLE: return "UNAVAILABLE";
        case CDX_E_IO: return "IO_ERROR";
        case CDX_E_INTERNAL: return "INTERNAL_ERROR";
        case CDX_E_CONFLICT: return "CONFLICT";
        case CDX_E_UNAUTHENTICATED: return "UNAUTHENTICATED";
        case CDX_E_RATE_LIMITED: return "RATE_LIMITED";
        default: return "UNKNOWN_STATUS";
    }
}

int httpStatusFor(cdx_status status) noexcept {
    switch (status) {
        case CDX_OK: return 200;
        case CDX_E_INVALID_ARGUMENT: return 400;
        case CDX_E_UNAUTHENTICATED: return 401;
        case CDX_E_PERMISSION: return 403;
        case CDX_E_NOT_FOUND: return 404;
        case CDX_E_CANCELLED:
        case CDX_E_CONFLICT: return 409;
        case CDX_E_RATE_LIMITED: return 429;
        case CDX_E_UNSUPPORTED: return 501;
        case CDX_E_UNAVAILABLE: return 503;
        case CDX_E_TIMEOUT: return 504;
        default: return 500;
    }
}

std::string_view errorCodeFor(cdx_status status) noexcept {
    switch (status) {
        case CDX_E_INVALID_ARGUMENT: return "VALIDATION_ERROR";
        case CDX_E_UNAUTHENTICATED: return "AUTH_REQUIRED";
        case CDX_E_PERMISSION: return "PERMISSION_ERROR";
        case CDX_E_NOT_FOUND: return "NOT_FOUND";
        case CDX_E_INTERNAL: return "INTERNAL_ERROR";
        default: return statusName(status);
    }
}

}  // namespace clipdex
