// Search latency and ANN recall on a synthetic catalog, in-process and warm.
//   clipdex_bench_search --dir DIR --clips N --dim 384|1024 [--queries Q] [--ef-search E] [--m M]
//                        [--backends fulltext,fulltext-after-write,semantic,hybrid,similar] [--recall yes|no]
// DIR/catalog-N-D.db is generated once: N clips with topic-clustered text from a word list (title,
// transcript, summary, tags, technical columns) and their summary and keyword vectors from the real bundled
// local-text provider at dimension D (so semantic and hybrid queries embed with the same model). Then a Runtime
// over it runs each backend through searchBackend() and prints p50 / p99, plus recall@10 of the HNSW index
// against exact search (semantic with summary weight only, no threshold). Not part of CI.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "embedding_text.hpp"
#include "runtime/runtime.hpp"
#include "vector_codec.hpp"
#include "word_list.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using Clock = std::chrono::steady_clock;

struct Options {
    fs::path dir = "bench-search";
    long clips = 10000;
    long dim = 384;
    long queries = 300;
    long ef_search = 500;
    long m = 16;
    std::string backends = "fulltext,fulltext-after-write,semantic,hybrid,similar";
    bool recall = true;
};

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "clipdex_bench_search: %s\n", message.c_str());
    std::exit(1);
}

void exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK)
        die(std::string(sql) + ": " + (error ? error : "?"));
}

std::unique_ptr<clipdex::Runtime> openRuntime(const Options& o, const fs::path& catalog, long exact_below) {
    const fs::path config = o.dir / ("config-" + std::to_string(o.dim) + "-" + std::to_string(exact_below) + ".json");
    std::ofstream(config) << json{{"plugins",
                                   {{"clipdex.embedders", {{"local_text", {{"dimension", o.dim}}}}},
                                    {"clipdex.vectors",
                                     {{"index",
                                       {{"exact_below", exact_below},
                                        {"ef_search", o.ef_search},
                                        {"m", o.m},
                                        {"persist_seconds", 0}}}}}}}}
                                 .dump();
    clipdex::RuntimeOptions options;
    options.catalog = catalog.string();
    options.config_file = config;
    options.load_env_plugins = false;
    return std::make_unique<clipdex::Runtime>(options);
}

/// A clip's words: mostly from its topic, some from the general list.
std::string words(std::mt19937_64& rng, int topic, int count) {
    const auto& topics = bench::topicWords();
    const auto& general = bench::generalWords();
    const auto& mine = topics[static_cast<std::size_t>(topic) % topics.size()];
    std::string out;
    for (int i = 0; i < count; ++i) {
        const bool on_topic = rng() % 10 < 7;
        const auto& list = on_topic ? mine : general;
        out += (i ? " " : "") + list[rng() % list.size()];
    }
    return out;
}

/// The transcript row and its segments: ten words each, three seconds apart.
void insertTranscript(sqlite3* db, sqlite3_stmt* transcript, sqlite3_stmt* segment, const char* id,
                      const std::string& text) {
    sqlite3_bind_text(transcript, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(transcript, 2, text.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(transcript) != SQLITE_DONE) die(sqlite3_errmsg(db));
    sqlite3_reset(transcript);
    std::size_t begin = 0;
    for (int index = 0; begin < text.size(); ++index) {
        std::size_t end = begin;
        for (int word = 0; word < 10 && end != std::string::npos; ++word) end = text.find(' ', end + 1);
        const std::string piece = text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        sqlite3_bind_text(segment, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(segment, 2, index);
        sqlite3_bind_double(segment, 3, 3.0 * index);
        sqlite3_bind_double(segment, 4, 3.0 * index + 3.0);
        sqlite3_bind_text(segment, 5, piece.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(segment) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(segment);
        begin = end == std::string::npos ? text.size() : end + 1;
    }
}

void generate(const Options& o, const fs::path& catalog) {
    std::printf("generating %ld clips (%ld-d) in %s ...\n", o.clips, o.dim, catalog.c_str());
    const auto start = Clock::now();
    auto runtime = openRuntime(o, catalog, 5000);
    runtime->catalog();  // creates and migrates
    sqlite3* db = nullptr;
    if (sqlite3_open(catalog.c_str(), &db) != SQLITE_OK) die("cannot open " + catalog.string());
    exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN");
    sqlite3_stmt* clip = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO clips (id, file_path, local_path, file_name, file_checksum, file_size_bytes, "
                       "duration_seconds, processed_at, updated_at, width, height, frame_rate, codec, camera_make, "
                       "container, content_summary, content_tags, full_transcript, searchable_content) VALUES "
                       "(?1, ?2, ?2, ?3, ?4, 1000000, ?5, ?6, ?6, ?7, ?8, 25, ?9, ?10, 'mp4', ?11, ?12, ?13, ?14)",
                       -1, &clip, nullptr);
    // Transcripts come with their timed segments, as the transcription step stores them: a full-text hit
    // looks up the best matching segment of each clip on its page.
    sqlite3_stmt* transcript = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO transcripts (clip_id, source, language, full_text, created_at) "
                       "VALUES (?1, 'bench', 'en', ?2, '2026-01-01T00:00:00Z')",
                       -1, &transcript, nullptr);
    sqlite3_stmt* segment = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO transcript_segments (clip_id, segment_index, start_seconds, end_seconds, text) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)",
                       -1, &segment, nullptr);
    sqlite3_stmt* vector = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO clip_embeddings (clip_id, kind, model, dimension, vector, source_text, created_at) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2026-01-01T00:00:00Z')",
                       -1, &vector, nullptr);
    std::mt19937_64 rng(42);
    const char* codecs[] = {"h264", "hevc", "prores", "dnxhd"};
    const char* makes[] = {"Sony", "Canon", "Blackmagic", "DJI", "Apple"};
    const int heights[] = {720, 1080, 2160};
    const long batch = 512;
    for (long begin = 0; begin < o.clips; begin += batch) {
        std::vector<std::string> ids;
        json inputs = json::array();
        std::vector<std::string> sources;
        for (long i = begin; i < std::min(o.clips, begin + batch); ++i) {
            const int topic = static_cast<int>(rng() % bench::topicWords().size());
            char id[64];
            std::snprintf(id, sizeof id, "%08lx-0000-4000-8000-%012lx", i, static_cast<long>(rng() & 0xFFFFFFFFFFFL));
            const std::string title = words(rng, topic, 2);
            std::string file = "clip_" + std::to_string(i) + "_" + title + ".mp4";
            std::replace(file.begin(), file.end(), ' ', '_');
            const std::string transcript_text = words(rng, topic, 30 + static_cast<int>(rng() % 60));
            const std::string summary = words(rng, topic, 12);
            const json tags = json::array({words(rng, topic, 1), words(rng, topic, 1)});
            const int height = heights[rng() % 3];
            const char* codec = codecs[rng() % 4];
            const char* make = makes[rng() % 5];
            const std::string path = "/footage/" + file;
            const std::string checksum = std::to_string(i) + "-" + std::to_string(rng());
            const std::string tags_text = tags.dump();
            const std::string technical =
                file + " " + std::to_string(height * 16 / 9) + "x" + std::to_string(height) + " " + codec + " " + make;
            const double duration = 5.0 + static_cast<double>(rng() % 600);
            const std::string processed = "2026-01-01T00:00:" + std::to_string(10 + i % 50) + "Z";
            sqlite3_bind_text(clip, 1, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 2, path.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 3, file.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 4, checksum.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_double(clip, 5, duration);
            sqlite3_bind_text(clip, 6, processed.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(clip, 7, height * 16 / 9);
            sqlite3_bind_int(clip, 8, height);
            sqlite3_bind_text(clip, 9, codec, -1, SQLITE_STATIC);
            sqlite3_bind_text(clip, 10, make, -1, SQLITE_STATIC);
            sqlite3_bind_text(clip, 11, summary.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 12, tags_text.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 13, transcript_text.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(clip, 14, technical.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(clip) != SQLITE_DONE) die(sqlite3_errmsg(db));
            sqlite3_reset(clip);
            insertTranscript(db, transcript, segment, id, transcript_text);
            vectors::ClipFacts facts;
            facts.clip = {{"file_name", file},        {"content_summary", summary}, {"content_tags", tags},
                          {"codec", codec},           {"camera_make", make},        {"container", "mp4"},
                          {"width", height * 16 / 9}, {"height", height},           {"frame_rate", 25.0}};
            facts.transcript = transcript_text;
            ids.push_back(id);
            sources.push_back(vectors::summaryText(facts));
            sources.push_back(vectors::keywordText(facts));
            inputs.push_back(sources[sources.size() - 2]);
            inputs.push_back(sources.back());
        }
        clipdex::Invocation call;
        const auto answer = runtime->embed(call, "", {{"kind", "text"}, {"purpose", "document"}, {"inputs", inputs}});
        if (!answer.ok()) die("local-text embedding failed: " + answer.message);
        const std::string model = answer.result["model"];
        for (std::size_t i = 0; i < ids.size(); ++i)
            for (int k = 0; k < 2; ++k) {
                auto v = answer.result["vectors"][2 * i + k].get<std::vector<float>>();
                vectors::normalise(v);
                const std::string text = vectors::encodeVector(v);
                sqlite3_bind_text(vector, 1, ids[i].c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(vector, 2, k == 0 ? "summary" : "keyword", -1, SQLITE_STATIC);
                sqlite3_bind_text(vector, 3, model.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(vector, 4, static_cast<int>(v.size()));
                sqlite3_bind_text(vector, 5, text.c_str(), -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(vector, 6, sources[2 * i + k].c_str(), -1, SQLITE_TRANSIENT);
                if (sqlite3_step(vector) != SQLITE_DONE) die(sqlite3_errmsg(db));
                sqlite3_reset(vector);
            }
    }
    for (sqlite3_stmt* statement : {clip, transcript, segment, vector}) sqlite3_finalize(statement);
    exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
    sqlite3_close(db);
    std::printf("generated in %.1f s\n", std::chrono::duration<double>(Clock::now() - start).count());
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(index, values.size() - 1)];
}

json run(clipdex::Runtime& runtime, const std::string& backend, const json& query) {
    clipdex::Invocation call;
    const auto outcome = runtime.searchBackend(call, backend, query);
    if (!outcome.ok()) die(backend + " failed: " + outcome.message);
    return outcome.result;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--dir")
            o.dir = value;
        else if (key == "--clips")
            o.clips = std::stol(value);
        else if (key == "--dim")
            o.dim = std::stol(value);
        else if (key == "--queries")
            o.queries = std::stol(value);
        else if (key == "--ef-search")
            o.ef_search = std::stol(value);
        else if (key == "--m")
            o.m = std::stol(value);
        else if (key == "--backends")
            o.backends = value;
        else if (key == "--recall")
            o.recall = value != "no";
        else
            die("unknown option " + key);
    }
    fs::create_directories(o.dir);
    // Index files and config stay inside the bench directory.
    ::setenv("XDG_STATE_HOME", (o.dir / "state").c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (o.dir / "config").c_str(), 1);
    // "v2": catalogs generated since transcripts have segments.
    const fs::path catalog = o.dir / ("catalog-v2-" + std::to_string(o.clips) + "-" + std::to_string(o.dim) + ".db");
    if (!fs::exists(catalog)) generate(o, catalog);

    auto runtime = openRuntime(o, catalog, 5000);
    std::mt19937_64 rng(7);
    std::vector<std::string> ids;
    for (const json& row : runtime->catalog().query("SELECT id FROM clips ORDER BY rowid", json::object()))
        ids.push_back(row["id"]);
    auto query_text = [&] {
        const int topic = static_cast<int>(rng() % bench::topicWords().size());
        return words(rng, topic, 1 + static_cast<int>(rng() % 3));
    };
    const auto build_start = Clock::now();
    const json first = run(*runtime, "semantic", {{"q", query_text()}, {"limit", 10}});
    std::printf("index ready in %.2f s (%s)\n", std::chrono::duration<double>(Clock::now() - build_start).count(),
                first["summary"]["index"].dump().c_str());
    run(*runtime, "similar", {{"clip_id", ids[0]}});  // loads the keyword space too

    std::printf("\n%-20s %8s %10s %10s %10s\n", "backend", "clips", "p50 ms", "p99 ms", "hits/q");
    struct Slow {
        double ms;
        std::string q;
        json total;
    };
    std::vector<Slow> slowest;  // full text: which queries set the p99, and how many clips they match
    // "fulltext-after-write": each query right after a commit that rewrites one clip, as during an ingest, so
    // no length the ranking function kept from earlier statements can be used (they are per data version).
    for (const std::string name : {"fulltext", "fulltext-after-write", "semantic", "hybrid", "similar"}) {
        if (("," + o.backends + ",").find("," + name + ",") == std::string::npos) continue;
        const bool after_write = name == "fulltext-after-write";
        const std::string backend = after_write ? "fulltext" : name;
        std::vector<double> times;
        double hits = 0;
        for (long i = 0; i < o.queries + 20; ++i) {
            json query = backend == "similar" ? json{{"clip_id", ids[rng() % ids.size()]}, {"limit", 10}}
                                              : json{{"q", query_text()}, {"limit", 10}};
            if (after_write)
                runtime->catalog().query("UPDATE clips SET updated_at = :at WHERE id = :id",
                                         json{{"at", "2026-01-02T00:00:" + std::to_string(10 + i % 50) + "Z"},
                                              {"id", ids[rng() % ids.size()]}});
            const auto start = Clock::now();
            const json answer = run(*runtime, backend, query);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            if (i >= 20) {
                if (name == "fulltext") slowest.push_back({ms, query["q"], answer["summary"]["total"]});
                times.push_back(ms);
                hits += static_cast<double>(answer["hits"].size());
            }
        }
        std::printf("%-20s %8ld %10.2f %10.2f %10.1f\n", name.c_str(), o.clips, percentile(times, 0.5),
                    percentile(times, 0.99), hits / static_cast<double>(o.queries));
    }
    std::sort(slowest.begin(), slowest.end(), [](const Slow& a, const Slow& b) { return a.ms > b.ms; });
    std::printf("slowest full-text queries:");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, slowest.size()); ++i)
        std::printf(" \"%s\" %.1f ms (%s matches);", slowest[i].q.c_str(), slowest[i].ms,
                    slowest[i].total.dump().c_str());
    std::printf("\n");

    if (!o.recall) return 0;
    // Recall@10 of the HNSW graph vs an exact scan: semantic ranked by summary similarity alone.
    auto exact = openRuntime(o, catalog, 1L << 40);
    double found = 0, wanted = 0;
    const long recall_queries = std::min<long>(o.queries, 200);
    for (long i = 0; i < recall_queries; ++i) {
        const json query{
            {"q", query_text()}, {"limit", 10}, {"threshold", -1.0}, {"weights", {{"summary", 1.0}, {"keyword", 0.0}}}};
        std::set<std::string> truth;
        const json expected = run(*exact, "semantic", query);
        const json approximate = run(*runtime, "semantic", query);
        for (const json& hit : expected["hits"]) truth.insert(hit["id"].get<std::string>());
        for (const json& hit : approximate["hits"])
            found += static_cast<double>(truth.count(hit["id"].get<std::string>()));
        wanted += static_cast<double>(truth.size());
    }
    std::printf("\nrecall@10 semantic (HNSW M=%ld ef_search=%ld vs exact, %ld queries): %.4f\n", o.m, o.ef_search,
                recall_queries, wanted > 0 ? found / wanted : 0.0);
    // The same for similar (text mode, ef_similar): candidates from both spaces, exact re-scoring.
    found = wanted = 0;
    for (long i = 0; i < recall_queries; ++i) {
        const json query{{"clip_id", ids[rng() % ids.size()]}, {"limit", 10}, {"threshold", -1.0}};
        const json expected = run(*exact, "similar", query);
        const json approximate = run(*runtime, "similar", query);
        std::set<std::string> truth;
        for (const json& hit : expected["hits"]) truth.insert(hit["id"].get<std::string>());
        for (const json& hit : approximate["hits"])
            found += static_cast<double>(truth.count(hit["id"].get<std::string>()));
        wanted += static_cast<double>(truth.size());
    }
    std::printf("recall@10 similar  (ef_similar default, %ld queries): %.4f\n", recall_queries,
                wanted > 0 ? found / wanted : 0.0);
    return 0;
}
