/*
 * clipdex plugin ABI, version 1 — the only binary contract between the host and a plugin.
 *
 * Rules every declaration in sdk/include/clipdex/ follows (see docs/adr/):
 *  1. C99, natural alignment, no packing; enums are forced to 32 bits.
 *  2. A plugin exports exactly one symbol, clipdex_plugin_entry_v1(), returning a static cdx_plugin_entry.
 *  3. Every struct starts with `uint32_t struct_size` and only ever grows at the end. A reader uses a
 *     field only if CDX_HAS_FIELD says the writer's struct covers it.
 *  4. Capabilities (command, step, search, auth, embedder) and host services (log, config, progress,
 *     cancellation, catalog, registry, dispatch) are tables found by versioned string id, "clipdex.<name>/<rev>". A new
 * capability is a new id; an incompatible change is a new rev.
 *  5. A plugin loads iff its abi_major == the host's CDX_ABI_MAJOR and its min_host_minor <= the host's minor.
 *
 * Ownership, printed once here for every function in the SDK:
 *  - Anything passed into a function (cdx_str, cdx_call, JSON text) is borrowed until that function returns.
 *    Copy what you keep.
 *  - Anything given back goes into a sink the receiver provides; the sink copies before it returns.
 *    There is no cdx_free: neither side ever frees memory the other allocated.
 *  - Static plugin data (entry, manifest, interface tables) lives until process exit. Host service tables
 *    live until the plugin's shutdown returns. Libraries are never unloaded.
 *  - Exceptions, longjmp and C++ types never cross. Errors are a cdx_status plus a message given to a sink.
 *
 * Thread tags: [control-thread] never concurrent with anything else in the plugin; [any-thread] may run
 * concurrently for different calls; [thread-safe] callable from any thread at any time; [call-thread] only
 * on the thread that received the cdx_call, before the plugin function returns.
 */
#ifndef CLIPDEX_ABI_H
#define CLIPDEX_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CDX_ABI_MAJOR 1
/* 1.1: clipdex.embedder/1, clipdex.dispatch/1; 1.2: clipdex_bm25_topk() in SQLite catalogs;
   1.3: clipdex_matched_phrases(), clipdex_phrase_instances() and clipdex_topk() in SQLite catalogs */
#define CDX_ABI_MINOR 3

/* The oldest host minor a plugin is willing to run on. Raise it to use declarations from a newer minor. */
#ifndef CDX_TARGET_ABI_MINOR
#define CDX_TARGET_ABI_MINOR CDX_ABI_MINOR
#endif

#if defined(_WIN32)
#define CDX_EXPORT __declspec(dllexport)
#define CDX_CALL __cdecl
#else
#define CDX_EXPORT __attribute__((visibility("default")))
#define CDX_CALL
#endif

/* True iff the struct `p` (as produced by the other side) contains field F of type T. */
#define CDX_HAS_FIELD(p, T, F) ((p) != NULL && (p)->struct_size >= offsetof(T, F) + sizeof(((const T*)0)->F))

#ifdef __cplusplus
extern "C" {
#endif

/* Result of every ABI function. Only CDX_OK is success. Values are never renumbered or reused. */
typedef enum cdx_status {
    CDX_OK = 0,
    CDX_E_INVALID_ARGUMENT = 1, /* the caller's input is wrong: HTTP 400, CLI exit 2 (usage error) */
    CDX_E_NOT_FOUND = 2,        /* HTTP 404 */
    CDX_E_PERMISSION = 3,       /* authenticated but not allowed: HTTP 403 */
    CDX_E_UNSUPPORTED = 4,      /* capability or id not provided: HTTP 501 */
    CDX_E_CANCELLED = 5,        /* the call was cancelled: HTTP 409 */
    CDX_E_TIMEOUT = 6,          /* HTTP 504 */
    CDX_E_UNAVAILABLE = 7,      /* a dependency is down or not configured: HTTP 503 */
    CDX_E_IO = 8,               /* file or network I/O failed: HTTP 500 */
    CDX_E_INTERNAL = 9,         /* a bug, or an exception escaped a plugin: HTTP 500 */
    CDX_E_CONFLICT = 10,        /* state conflict, e.g. already running: HTTP 409 */
    CDX_E_UNAUTHENTICATED = 11, /* no or bad credentials: HTTP 401 */
    CDX_E_RATE_LIMITED = 12,    /* too many attempts; retry later: HTTP 429. Since ABI 1.1 */
    CDX_STATUS_FORCE_32BIT_ = 0x7fffffff
} cdx_status;

typedef enum cdx_log_level {
    CDX_LOG_INVALID = 0, /* zero is never a valid value */
    CDX_LOG_TRACE = 1,
    CDX_LOG_DEBUG = 2,
    CDX_LOG_INFO = 3,
    CDX_LOG_WARN = 4,
    CDX_LOG_ERROR = 5,
    CDX_LOG_LEVEL_FORCE_32BIT_ = 0x7fffffff
} cdx_log_level;

/* Borrowed UTF-8 text, not necessarily NUL-terminated. ptr may be NULL only when len is 0. */
typedef struct cdx_str {
    const char* ptr;
    size_t len;
} cdx_str;

/* A place to put bytes. The receiving side implements it and copies before write returns. [call-thread] */
typedef struct cdx_sink {
    uint32_t struct_size;
    void* ctx;
    cdx_status(CDX_CALL* write)(const struct cdx_sink* self, cdx_str bytes);
} cdx_sink;

/*
 * Per-invocation context for one command, step run, search query or authentication.
 * OWNERSHIP: host; valid until the plugin function that received it returns.
 * Progress, cancellation and logging for a call are host services (clipdex.progress/1 etc.) taking this call.
 */
typedef struct cdx_call {
    uint32_t struct_size;
    void* host_data;        /* opaque to plugins */
    cdx_str request_id;     /* correlates logs across host and plugin */
    cdx_str principal_json; /* the authenticated caller, e.g. {"id":"local","role":"admin"} */
    /* [call-thread] Append a chunk of the result document; the host concatenates chunks and parses the
       whole as one JSON value when the call returns. */
    cdx_status(CDX_CALL* write_result)(const struct cdx_call* self, cdx_str json_chunk);
    /* [thread-safe] Stream one complete JSON record (e.g. a search hit or a row of a long listing) to the
       caller before the call returns. Hosts without a streaming consumer buffer the records. */
    cdx_status(CDX_CALL* emit)(const struct cdx_call* self, cdx_str json_record);
    /* [call-thread] Record the failure; the plugin function then returns the same code.
       details_json may be empty; a "code" string in it becomes the API's error code. */
    void(CDX_CALL* fail)(const struct cdx_call* self, cdx_status code, cdx_str message, cdx_str details_json);
} cdx_call;

/* Process-wide host object handed to init. OWNERSHIP: host; valid from init until shutdown returns. */
typedef struct cdx_host {
    uint32_t struct_size;
    uint16_t abi_major; /* the host's ABI */
    uint16_t abi_minor;
    void* host_data; /* opaque to plugins */
    cdx_str host_version;
    cdx_str plugin_id; /* the id from this plugin's manifest */
    cdx_str state_dir; /* writable directory private to this plugin (created on first use by the plugin) */
    /* [thread-safe] A host service table by id ("clipdex.log/1", ...), or NULL if this host lacks it. */
    const void*(CDX_CALL* get_service)(const struct cdx_host* self, const char* service_id);
} cdx_host;

/* What a plugin exports. OWNERSHIP: plugin; static; valid until process exit. */
typedef struct cdx_plugin_entry {
    uint32_t struct_size;
    uint16_t abi_major;        /* CDX_ABI_MAJOR of the SDK the plugin was built with */
    uint16_t min_host_minor;   /* CDX_TARGET_ABI_MINOR */
    const char* manifest_json; /* NUL-terminated UTF-8; identical to the plugin.json installed beside it */
    const char* build_info;    /* free text for diagnostics, e.g. "clipdex-sdk 1.0; gcc 12.2" */
    /* [control-thread] Once, before anything else. Keep it cheap: no network, no long I/O.
       On failure write a message into `error` and return non-OK. */
    cdx_status(CDX_CALL* init)(const cdx_host* host, void** out_plugin, const cdx_sink* error);
    /* [control-thread] Once, after every call finished. The library stays mapped. */
    void(CDX_CALL* shutdown)(void* plugin);
    /* [thread-safe] An interface table by id ("clipdex.command/1", ...), or NULL. OWNERSHIP: plugin, static. */
    const void*(CDX_CALL* get_interface)(void* plugin, const char* interface_id);
} cdx_plugin_entry;

typedef const cdx_plugin_entry*(CDX_CALL* cdx_plugin_entry_fn)(void);
#define CDX_PLUGIN_ENTRY_SYMBOL "clipdex_plugin_entry_v1"

#ifdef __cplusplus
}
#endif
#endif /* CLIPDEX_ABI_H */
