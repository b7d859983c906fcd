/* clipdex.catalog/1 — parameterised SQL on the host-owned catalog. Since ABI 1.0. */
#ifndef CLIPDEX_SERVICES_CATALOG_H
#define CLIPDEX_SERVICES_CATALOG_H
#include "../abi.h"
#ifdef __cplusplus
extern "C" {
#endif

#define CDX_SERVICE_CATALOG "clipdex.catalog/1"

/*
 * Statements bind values by name (":name") from a JSON object; values are never spliced into SQL text.
 * The host owns the schema and its migrations; `dialect` tells plugins which SQL family they talk to
 * ("sqlite" or "postgresql") so they keep dialect-specific SQL in dialect-specific places.
 *
 * Since ABI 1.2, SQLite catalogs also provide the FTS5 auxiliary function
 *   clipdex_bm25_topk(fts_table, k, weight0, weight1, ...)
 * which returns exactly bm25(fts_table, weight0, ...) for rows that can still be among the k best rows of the
 * statement and NULL for rows that provably cannot, skipping their length lookup. Order by
 * `score IS NULL, score, rowid` with LIMIT k (or less) for the same page as bm25() gives, faster when a
 * query matches much of the table. Evaluating it twice for one row gives the same answer. The lengths it
 * reads are kept per connection until the database changes, so later statements skip those lookups too.
 *
 * Since ABI 1.3, two more FTS5 auxiliary functions, which need no table-wide statistics (bm25's document
 * frequencies walk every match in the table, once per scan):
 *   clipdex_matched_phrases(fts_table)   how many of the query's phrases occur in the row
 *   clipdex_phrase_instances(fts_table)  how many times they occur in the row, all together
 * and an aggregate for a ranked page and its total in one scan:
 *   clipdex_topk(k, score, rowid)        JSON text [[rowid, score], ...]: the k rows of lowest score (ties:
 *                                        lower rowid) in that order, NULL scores left out; beside count(*).
 *                                        FTS5 functions cannot be aggregate arguments: score in a subquery,
 *                                        with LIMIT -1 so that SQLite does not flatten it.
 */
typedef struct cdx_catalog_v1 {
    uint32_t struct_size;
    /* [thread-safe] "sqlite" or "postgresql". */
    cdx_str(CDX_CALL* dialect)(const cdx_host* host);
    /* [any-thread] Run one statement. out_rows receives a JSON array of row objects (column name -> value;
       empty array for statements without rows). On error the message goes to call->fail. `call` may be
       NULL, e.g. on a plugin's own worker thread while a call is running elsewhere (a call's failure record
       is [call-thread]): an error is then only the returned status, and the message only the host's log. */
    cdx_status(CDX_CALL* query)(const cdx_host* host, const cdx_call* call, cdx_str sql, cdx_str params_json,
                                const cdx_sink* out_rows);
    /* [any-thread] Run [{"sql": "...", "params": {...}}, ...] in one transaction: all or nothing.
       out_json receives {"affected": [n, ...]}. */
    cdx_status(CDX_CALL* transaction)(const cdx_host* host, const cdx_call* call, cdx_str statements_json,
                                      const cdx_sink* out_json);
} cdx_catalog_v1;

#ifdef __cplusplus
}
#endif
#endif
