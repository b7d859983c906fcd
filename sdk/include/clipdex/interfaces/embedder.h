/* clipdex.embedder/1 — embedding providers (text or image to vectors). Since ABI 1.1. */
#ifndef CLIPDEX_INTERFACES_EMBEDDER_H
#define CLIPDEX_INTERFACES_EMBEDDER_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_IFACE_EMBEDDER "clipdex.embedder/1"

/*
 * request_json: {"kind": "text" | "image", "purpose": "document" | "query", "inputs": [...]}
 *   text inputs are strings; image inputs are paths of image files on this machine.
 * The result written through call->write_result:
 *   {"model": "<stable model id>", "dimension": N, "vectors": [[N floats], ...]}   one vector per input, in order.
 * The model id names the vector space: vectors of different model ids are never compared.
 */
typedef struct cdx_embedder_v1 {
    uint32_t struct_size;
    /* [any-thread] */
    cdx_status(CDX_CALL* embed)(void* plugin, cdx_str provider_id, cdx_str request_json, const cdx_call* call);
} cdx_embedder_v1;

#ifdef __cplusplus
}
#endif
#endif
