// clipdex_topk(k, score, rowid): an aggregate that keeps the k rows with the lowest score (ties: lower rowid)
// and returns them as JSON text [[rowid, score], ...] in that order; NULL scores are left out.
//
// With count(*) beside it, one scan gives a ranked page and its total:
//   SELECT count(*) AS n, clipdex_topk(:k, score, rid) AS page
//     FROM (SELECT fts.rowid AS rid, clipdex_bm25_topk(fts, :k, ...) AS score FROM fts WHERE ... LIMIT -1)
// (FTS5 functions cannot be arguments of an aggregate; LIMIT -1 keeps SQLite from flattening the subquery.)
// where `ORDER BY score, rowid LIMIT k` needs a second scan to count, and feeds every row through SQLite's
// sorter. Scores round-trip exactly through the JSON text.
#pragma once

struct sqlite3;

namespace clipdex::catalog::sqlite {

/// Registers clipdex_topk on `db`. Throws CatalogError if SQLite refuses.
void registerPageAggregate(sqlite3* db);

}  // namespace clipdex::catalog::sqlite
