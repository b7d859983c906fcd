/* clipdex.log/1 — structured logging through the host's logger. Since ABI 1.0. */
#ifndef CLIPDEX_SERVICES_LOG_H
#define CLIPDEX_SERVICES_LOG_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_LOG "clipdex.log/1"

typedef struct cdx_log_v1 {
    uint32_t struct_size;
    /* [thread-safe] The host tags the line with the plugin id and, if call is not NULL, the request id.
       Never log secrets. */
    void(CDX_CALL* write)(const cdx_host* host, const cdx_call* call, cdx_log_level level, cdx_str message);
    /* [thread-safe] True if a message at `level` would be written; lets plugins skip building it. */
    bool(CDX_CALL* enabled)(const cdx_host* host, cdx_log_level level);
} cdx_log_v1;

#ifdef __cplusplus
}
#endif
#endif
