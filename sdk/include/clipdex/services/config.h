/* clipdex.config/1 — the plugin's own configuration. Since ABI 1.0. */
#ifndef CLIPDEX_SERVICES_CONFIG_H
#define CLIPDEX_SERVICES_CONFIG_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_CONFIG "clipdex.config/1"

typedef struct cdx_config_v1 {
    uint32_t struct_size;
    /* [thread-safe] Writes the JSON value at `key` (a dotted path, empty for all) inside this plugin's
       section ("plugins" -> "<plugin id>" in the host config file) to out.
       Returns CDX_E_NOT_FOUND when the key is absent. */
    cdx_status(CDX_CALL* get)(const cdx_host* host, cdx_str key, const cdx_sink* out_json);
} cdx_config_v1;

#ifdef __cplusplus
}
#endif
#endif
