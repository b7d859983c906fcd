// FTS5 ranking functions the host adds to every catalog connection, for the full-text backend.
//
// clipdex_bm25_topk(fts_table, k, w0, w1, ...) returns exactly FTS5's bm25(fts_table, w0, w1, ...) for rows
// that can still be among the k best of the statement, and NULL for rows that provably cannot. bm25 falls
// as a row grows longer, so the score the row would have at length 0 bounds it from above; that bound needs
// only the row's term counts. Once k rows have been scored, a row whose bound is below the k-th best is
// skipped without reading its length (a %_docsize lookup, most of bm25's cost per row). The page
// `ORDER BY score IS NULL, score, rowid LIMIT k` is therefore the same as with bm25(), in fewer steps for
// words that match a large part of the catalog. A row evaluated twice gets the same answer. The lengths it
// does read are kept per connection until the database or the table changes (length_memo.hpp), so later
// statements skip those lookups as well.
//
// clipdex_matched_phrases(fts_table) and clipdex_phrase_instances(fts_table) count the query's phrases present
// in the row and their occurrences. They need no document frequencies, so they cost the same whether a scan is
// one row of a rowid range or the whole table (the search plugin picks the best transcript segment by them).
#pragma once

struct sqlite3;

namespace clipdex::catalog::sqlite {

/// Registers the functions on `db`. Throws CatalogError when FTS5 is missing from the SQLite library.
void registerRankingFunctions(sqlite3* db);

}  // namespace clipdex::catalog::sqlite
