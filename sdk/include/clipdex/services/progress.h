/* clipdex.progress/1 and clipdex.cancellation/1 — long-running work. Since ABI 1.0. */
#ifndef CLIPDEX_SERVICES_PROGRESS_H
#define CLIPDEX_SERVICES_PROGRESS_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_PROGRESS "clipdex.progress/1"
#define CDX_SERVICE_CANCELLATION "clipdex.cancellation/1"

typedef struct cdx_progress_v1 {
    uint32_t struct_size;
    /* [thread-safe] fraction in [0,1], or a negative value for "indeterminate". note may be empty.
       Cheap: the host rate-limits delivery to the CLI progress bar and WebSocket subscribers. */
    void(CDX_CALL* report)(const cdx_call* call, double fraction, cdx_str note);
} cdx_progress_v1;

typedef struct cdx_cancellation_v1 {
    uint32_t struct_size;
    /* [thread-safe] True once the caller cancelled, the client went away or the call's deadline passed.
       Poll it at least every ~100 ms of work, then fail with CDX_E_CANCELLED. */
    bool(CDX_CALL* is_cancelled)(const cdx_call* call);
} cdx_cancellation_v1;

#ifdef __cplusplus
}
#endif
#endif
