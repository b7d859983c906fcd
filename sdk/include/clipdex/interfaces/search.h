/* clipdex.search/1 — search backends (full-text, vector, hybrid, ...). Since ABI 1.0. */
#ifndef CLIPDEX_INTERFACES_SEARCH_H
#define CLIPDEX_INTERFACES_SEARCH_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_IFACE_SEARCH "clipdex.search/1"

typedef struct cdx_search_v1 {
    uint32_t struct_size;
    /* [any-thread] Add or replace documents: docs_json is an array of objects with an "id". */
    cdx_status(CDX_CALL* index)(void* plugin, cdx_str backend_id, cdx_str docs_json, const cdx_call* call);
    /* [any-thread] Run a query object; hits are emitted one per record through call->emit, best first,
       and a summary object (total, timings) is written through call->write_result. */
    cdx_status(CDX_CALL* query)(void* plugin, cdx_str backend_id, cdx_str query_json, const cdx_call* call);
    /* [any-thread] Remove documents: ids_json is an array of ids. */
    cdx_status(CDX_CALL* remove)(void* plugin, cdx_str backend_id, cdx_str ids_json, const cdx_call* call);
} cdx_search_v1;

#ifdef __cplusplus
}
#endif
#endif
