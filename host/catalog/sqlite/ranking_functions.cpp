#include "catalog/sqlite/ranking_functions.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <new>
#include <queue>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/sqlite/length_memo.hpp"

namespace clipdex::catalog::sqlite {
namespace {

// FTS5's own constants (fts5_aux.c), so scores equal bm25()'s bit for bit.
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

/// Per statement: bm25's table statistics, the k best scores so far and the last row answered.
struct TopK {
    std::vector<double> idf;  // per phrase
    double avgdl = 0;
    std::size_t k = 0;
    std::priority_queue<double> best;  // scores (larger = better), as a max-heap of their negations
    sqlite3_int64 last_rowid = 0;
    bool answered = false;
    bool last_null = true;
    double last_score = 0;
    LengthMemo* lengths = nullptr;         // the connection's memo for this table (null: read every length) ...
    std::uint64_t lengths_generation = 0;  // ... while its generation is this one
    std::vector<double> frequency;         // per phrase, for the current row (kept to avoid an allocation per row)
};

void destroyTopK(void* data) {
    delete static_cast<TopK*>(data);
}

int countHit(const Fts5ExtensionApi*, Fts5Context*, void* user) {
    ++*static_cast<sqlite3_int64*>(user);
    return SQLITE_OK;
}

/// The statistics bm25() computes once per statement (fts5Bm25GetData), computed the same way.
TopK* topKOf(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, std::size_t k, int& rc) {
    if (auto* kept = static_cast<TopK*>(api->xGetAuxdata(fts, 0))) return kept;
    auto* data = new (std::nothrow) TopK;
    if (data == nullptr) {
        rc = SQLITE_NOMEM;
        return nullptr;
    }
    data->k = k;
    try {
        data->lengths =
            static_cast<LengthMemos*>(api->xUserData(fts))->forStatement(sqlite3_context_db_handle(result), api, fts);
        if (data->lengths) data->lengths_generation = data->lengths->generation();
    } catch (const std::bad_alloc&) {
        data->lengths = nullptr;  // read every length
    }
    sqlite3_int64 rows = 0;
    sqlite3_int64 tokens = 0;
    rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) data->avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
    const int phrases = api->xPhraseCount(fts);
    for (int i = 0; rc == SQLITE_OK && i < phrases; ++i) {
        sqlite3_int64 hits = 0;
        rc = api->xQueryPhrase(fts, i, &hits, countHit);
        double idf =
            std::log((static_cast<double>(rows) - static_cast<double>(hits) + 0.5) / (static_cast<double>(hits) + 0.5));
        if (idf <= 0.0) idf = 1e-6;
        data->idf.push_back(idf);
    }
    data->frequency.resize(data->idf.size());
    if (rc != SQLITE_OK) {
        delete data;
        return nullptr;
    }
    // On failure xSetAuxdata has already passed the data to destroyTopK.
    rc = api->xSetAuxdata(fts, data, destroyTopK);
    return rc == SQLITE_OK ? data : nullptr;
}

/// bm25's per-phrase sum for a row of length `length` tokens, given the weighted term counts.
double scoreAt(const TopK& data, const std::vector<double>& frequency, double length) {
    double score = 0;
    for (std::size_t i = 0; i < frequency.size(); ++i)
        // FTS5's association, idf * (f / d), not (idf * f) / d: the results differ in the last bit.
        score +=
            data.idf[i] * ((frequency[i] * (kK1 + 1.0)) / (frequency[i] + kK1 * (1 - kB + kB * length / data.avgdl)));
    return score;
}

void bm25TopK(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc, sqlite3_value** argv) {
    if (argc < 1 || sqlite3_value_type(argv[0]) != SQLITE_INTEGER || sqlite3_value_int64(argv[0]) < 1) {
        sqlite3_result_error(result, "clipdex_bm25_topk: the first argument, k, must be a positive integer", -1);
        return;
    }
    int rc = SQLITE_OK;
    TopK* data = topKOf(api, fts, result, static_cast<std::size_t>(sqlite3_value_int64(argv[0])), rc);
    if (data == nullptr) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    const sqlite3_int64 rowid = api->xRowid(fts);
    if (data->answered && rowid == data->last_rowid) {  // the same row again (the expression used twice)
        if (data->last_null)
            sqlite3_result_null(result);
        else
            sqlite3_result_double(result, -data->last_score);
        return;
    }

    std::vector<double>& frequency = data->frequency;
    std::fill(frequency.begin(), frequency.end(), 0.0);
    int instances = 0;
    rc = api->xInstCount(fts, &instances);
    for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
        int phrase = 0;
        int column = 0;
        int offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK) frequency[phrase] += argc - 1 > column ? sqlite3_value_double(argv[1 + column]) : 1.0;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    data->answered = true;
    data->last_rowid = rowid;
    if (data->best.size() >= data->k) {
        // The score at length 0 is the highest the row can have; the margin absorbs rounding.
        const double bound = scoreAt(*data, frequency, 0.0) * (1 + 1e-9);
        if (bound < -data->best.top()) {
            data->last_null = true;
            sqlite3_result_null(result);
            return;
        }
    }
    int length = 0;
    LengthMemo* memo =
        data->lengths && data->lengths->generation() == data->lengths_generation ? data->lengths : nullptr;
    if (const auto known = memo ? memo->find(rowid) : std::nullopt) {
        length = *known;
    } else {
        rc = api->xColumnSize(fts, -1, &length);
        if (rc != SQLITE_OK) {
            data->answered = false;
            sqlite3_result_error_code(result, rc);
            return;
        }
        if (memo) memo->store(rowid, length);
    }
    const double score = scoreAt(*data, frequency, static_cast<double>(length));
    data->best.push(-score);
    if (data->best.size() > data->k) data->best.pop();
    data->last_null = false;
    data->last_score = score;
    sqlite3_result_double(result, -score);
}

/// clipdex_matched_phrases(fts): how many of the query's phrases occur in the row.
void matchedPhrases(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int, sqlite3_value**) {
    int matched = 0;
    const int phrases = api->xPhraseCount(fts);
    for (int i = 0; i < phrases; ++i) {
        Fts5PhraseIter iter;
        int column = -1;
        int offset = -1;
        const int rc = api->xPhraseFirst(fts, i, &iter, &column, &offset);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(result, rc);
            return;
        }
        if (column >= 0) ++matched;
    }
    sqlite3_result_int(result, matched);
}

/// clipdex_phrase_instances(fts): how many times the query's phrases occur in the row, all together.
void phraseInstances(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int, sqlite3_value**) {
    int instances = 0;
    const int rc = api->xInstCount(fts, &instances);
    if (rc != SQLITE_OK)
        sqlite3_result_error_code(result, rc);
    else
        sqlite3_result_int(result, instances);
}

void destroyMemos(void* memos) {
    delete static_cast<LengthMemos*>(memos);
}

fts5_api* fts5Of(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
    }
    sqlite3_finalize(statement);
    return api;
}

}  // namespace

void registerRankingFunctions(sqlite3* db) {
    fts5_api* api = fts5Of(db);
    // The memos live as long as the connection: once registered, FTS5 calls destroyMemos when it closes.
    auto memos = std::make_unique<LengthMemos>();
    bool registered = api != nullptr && api->xCreateFunction(api, "clipdex_bm25_topk", memos.get(), &bm25TopK,
                                                             &destroyMemos) == SQLITE_OK;
    if (registered) memos.release();
    registered = registered &&
                 api->xCreateFunction(api, "clipdex_matched_phrases", nullptr, &matchedPhrases, nullptr) == SQLITE_OK &&
                 api->xCreateFunction(api, "clipdex_phrase_instances", nullptr, &phraseInstances, nullptr) == SQLITE_OK;
    if (!registered)
        throw CatalogError(CDX_E_UNSUPPORTED,
                           "the SQLite library has no FTS5, which the catalog's full-text index needs; install a "
                           "SQLite built with FTS5 (Debian's libsqlite3-0 is)");
}

}  // namespace clipdex::catalog::sqlite
