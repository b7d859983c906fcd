/* clipdex.command/1 — commands exposed on the CLI and over HTTP. Since ABI 1.0. */
#ifndef CLIPDEX_INTERFACES_COMMAND_H
#define CLIPDEX_INTERFACES_COMMAND_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_IFACE_COMMAND "clipdex.command/1"

typedef struct cdx_command_v1 {
    uint32_t struct_size;
    /* [any-thread] (the host serialises calls if the manifest says "concurrency": "serial").
       command_id is the id from the manifest. args_json is an object already validated against the
       command's argument schema, with defaults filled in. The result goes through call->write_result;
       long listings may stream records through call->emit. */
    cdx_status(CDX_CALL* invoke)(void* plugin, cdx_str command_id, cdx_str args_json, const cdx_call* call);
} cdx_command_v1;

#ifdef __cplusplus
}
#endif
#endif
