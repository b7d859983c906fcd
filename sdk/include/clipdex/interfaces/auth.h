/* clipdex.auth/1 — authentication providers joining the host's HTTP/CLI auth chain. Since ABI 1.0. */
#ifndef CLIPDEX_INTERFACES_AUTH_H
#define CLIPDEX_INTERFACES_AUTH_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_IFACE_AUTH "clipdex.auth/1"

typedef struct cdx_auth_v1 {
    uint32_t struct_size;
    /* [any-thread] request_json carries only what the manifest declared the provider needs
       (e.g. {"headers":{"authorization":"Bearer …"},"cookies":{…}}). On success write the principal
       ({"id","email","role"}) through call->write_result. Fail with CDX_E_UNAUTHENTICATED to reject,
       CDX_E_NOT_FOUND when the credentials are not this provider's kind (the host tries the next). */
    cdx_status(CDX_CALL* authenticate)(void* plugin, cdx_str provider_id, cdx_str request_json, const cdx_call* call);
} cdx_auth_v1;

#ifdef __cplusplus
}
#endif
#endif
