#include "catalog/sqlite/page_aggregate.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <new>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"

namespace clipdex::catalog::sqlite {
namespace {

using Row = std::pair<double, sqlite3_int64>;  // (score, rowid): lower is better on both

/// The k best rows so far: a max-heap, so the worst kept row is on top and leaves first.
struct Page {
    std::size_t k = 0;
    std::priority_queue<Row> best;
};

Page** pageSlot(sqlite3_context* context, int bytes) {
    return static_cast<Page**>(sqlite3_aggregate_context(context, bytes));
}

void step(sqlite3_context* context, int argc, sqlite3_value** argv) {
    if (argc != 3 || sqlite3_value_type(argv[0]) != SQLITE_INTEGER || sqlite3_value_int64(argv[0]) < 1) {
        sqlite3_result_error(context, "clipdex_topk: the first argument, k, must be a positive integer", -1);
        return;
    }
    Page** slot = pageSlot(context, sizeof(Page*));
    if (slot == nullptr) {
        sqlite3_result_error_nomem(context);
        return;
    }
    if (sqlite3_value_type(argv[1]) == SQLITE_NULL) return;  // a row ruled out of the page
    try {
        if (*slot == nullptr) {
            *slot = new Page;
            (*slot)->k = static_cast<std::size_t>(sqlite3_value_int64(argv[0]));
        }
        Page& page = **slot;
        const Row row{sqlite3_value_double(argv[1]), sqlite3_value_int64(argv[2])};
        if (page.best.size() < page.k) {
            page.best.push(row);
        } else if (row < page.best.top()) {
            page.best.pop();
            page.best.push(row);
        }
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(context);
    }
}

void finish(sqlite3_context* context) {
    Page** slot = pageSlot(context, 0);
    Page* page = slot != nullptr ? *slot : nullptr;
    try {
        json rows = json::array();
        if (page != nullptr) {
            std::vector<Row> kept;
            kept.reserve(page->best.size());
            for (; !page->best.empty(); page->best.pop()) kept.push_back(page->best.top());
            std::reverse(kept.begin(), kept.end());
            for (const auto& [score, rowid] : kept) rows.push_back(json::array({rowid, score}));
        }
        const std::string text = rows.dump();
        sqlite3_result_text(context, text.c_str(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    } catch (const std::exception&) {
        sqlite3_result_error_nomem(context);
    }
    delete page;
}

}  // namespace

void registerPageAggregate(sqlite3* db) {
    const int rc = sqlite3_create_function_v2(db, "clipdex_topk", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                              nullptr, &step, &finish, nullptr);
    if (rc != SQLITE_OK)
        throw CatalogError(CDX_E_INTERNAL,
                           std::string("cannot add clipdex_topk to the catalog connection: ") + sqlite3_errstr(rc));
}

}  // namespace clipdex::catalog::sqlite
