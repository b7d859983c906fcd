/* clipdex.dispatch/1 — call another plugin's search backend or embedding provider through the host.
   Since ABI 1.1. The host finds the provider by id, activates its plugin, and runs the call as a child of
   `call` (same request id, principal and cancellation). */
#ifndef CLIPDEX_SERVICES_DISPATCH_H
#define CLIPDEX_SERVICES_DISPATCH_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_DISPATCH "clipdex.dispatch/1"

typedef struct cdx_dispatch_v1 {
    uint32_t struct_size;
    /* [any-thread] Runs a clipdex.search/1 query on backend_id. out_json receives
       {"summary": <the backend's result>, "hits": [<emitted records>, ...]}. */
    cdx_status(CDX_CALL* search)(const cdx_host* host, const cdx_call* call, cdx_str backend_id, cdx_str query_json,
                                 const cdx_sink* out_json);
    /* [any-thread] Runs a clipdex.embedder/1 request. An empty provider_id means the provider configured for
       the request's kind (config "embeddings.text_provider" / "embeddings.image_provider"). out_json receives
       the provider's result, plus "provider": the id that answered. */
    cdx_status(CDX_CALL* embed)(const cdx_host* host, const cdx_call* call, cdx_str provider_id, cdx_str request_json,
                                const cdx_sink* out_json);
} cdx_dispatch_v1;

#ifdef __cplusplus
}
#endif
#endif
