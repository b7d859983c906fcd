/* clipdex.step/1 — pipeline steps run by the host's executor, once per file. Since ABI 1.0. */
#ifndef CLIPDEX_INTERFACES_STEP_H
#define CLIPDEX_INTERFACES_STEP_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_IFACE_STEP "clipdex.step/1"

typedef struct cdx_step_v1 {
    uint32_t struct_size;
    /* [any-thread] Create an instance of step `step_id` with its config (validated, defaults filled).
       OWNERSHIP: the instance belongs to the plugin and is freed by destroy. */
    cdx_status(CDX_CALL* create)(void* plugin, cdx_str step_id, cdx_str config_json, const cdx_call* call,
                                 void** out_instance);
    /* [call-thread] Never concurrently for the same instance; different instances may run in parallel.
       inputs_json holds the file and the outputs of the steps this one depends on. Outputs are written as
       one JSON object through call->write_result. Poll clipdex.cancellation/1 and report through
       clipdex.progress/1 on long work. */
    cdx_status(CDX_CALL* run)(void* instance, cdx_str inputs_json, const cdx_call* call);
    /* [any-thread] After the last run returned. */
    void(CDX_CALL* destroy)(void* instance);
} cdx_step_v1;

#ifdef __cplusplus
}
#endif
#endif
