/* clipdex.registry/1 — what the host has loaded, for introspection commands. Since ABI 1.0. */
#ifndef CLIPDEX_SERVICES_REGISTRY_H
#define CLIPDEX_SERVICES_REGISTRY_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_REGISTRY "clipdex.registry/1"

typedef struct cdx_registry_v1 {
    uint32_t struct_size;
    /* [thread-safe] Writes a JSON array describing `what`: "plugins" (loaded and refused, with reasons),
       "steps", "commands", "search_backends" or "auth_providers". CDX_E_INVALID_ARGUMENT for anything else. */
    cdx_status(CDX_CALL* describe)(const cdx_host* host, cdx_str what, const cdx_sink* out_json);
} cdx_registry_v1;

#ifdef __cplusplus
}
#endif
#endif
