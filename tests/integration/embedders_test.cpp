// The clipdex.embedders plugin through a real host dispatch (Runtime::embed → clipdex.embedder/1):
// local-text (determinism, unit length, dimension, related vs unrelated texts, config), local-visual
// (JPEGs made with the ffmpeg CLI: identical, rescaled copy vs other scene, corrupt and missing files) and
// openai against a loopback stub server (wire format, batching, ordering, retries, give-up, timeout, 401).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

#include "integration/embedders_stub_server.hpp"
#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::Outcome;
using clipdex::embedders_test::StubBehaviour;
using clipdex::embedders_test::StubEmbeddingServer;
using clipdex::test::TempDir;

double cosine(const json& a, const json& b) {
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const double x = a[i].get<double>(), y = b[i].get<double>();
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    return dot / std::sqrt(na * nb);
}

double norm(const json& v) {
    double sum = 0;
    for (const json& x : v) sum += x.get<double>() * x.get<double>();
    return std::sqrt(sum);
}

/// Sets (or unsets, with nullopt) an environment variable for the scope, restoring it afterwards.
class ScopedEnv {
public:
    ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
        if (const char* old = std::getenv(name_.c_str())) old_ = old;
        if (value)
            ::setenv(name_.c_str(), value->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_.c_str(), old_->c_str(), 1);
        else
            ::unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

class Embedders : public ::testing::Test {
protected:
    /// A host with the bundled plugins and `plugin_config` as plugins."clipdex.embedders".
    void start(const json& plugin_config = json::object(), const json& host_config = json::object()) {
        json document = host_config;
        document["plugins"]["clipdex.embedders"] = plugin_config;
        const fs::path file = home_ / "config.json";
        std::ofstream(file) << document.dump();
        runtime_ = clipdex::test::bundledRuntime(home_ / "c.db", {}, file);
    }

    Outcome embed(const std::string& provider, const json& inputs, const std::string& kind = "text",
                  const std::string& purpose = "document") {
        if (!runtime_) start();
        clipdex::Invocation parent;
        parent.request_id = "embedders-test";
        return runtime_->embed(parent, provider, {{"kind", kind}, {"purpose", purpose}, {"inputs", inputs}});
    }

    json vectorsOf(const std::string& provider, const json& inputs, const std::string& kind = "text") {
        const Outcome outcome = embed(provider, inputs, kind);
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.ok() ? outcome.result["vectors"] : json::array();
    }

    fs::path ffmpegImage(const std::string& name, const std::vector<std::string>& args) {
        const fs::path out = home_ / name;
        std::vector<std::string> all{"-hide_banner", "-nostdin", "-v", "error", "-y"};
        all.insert(all.end(), args.begin(), args.end());
        all.push_back(out.string());
        const auto result = clipdex::test::runProcess("/usr/bin/ffmpeg", all);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return out;
    }

    TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
    // The provider must not see the developer's own settings.
    ScopedEnv no_text_default_{"CLIPDEX_TEXT_EMBEDDINGS", std::nullopt};
    ScopedEnv no_image_default_{"CLIPDEX_IMAGE_EMBEDDINGS", std::nullopt};
    ScopedEnv no_base_url_{"CLIPDEX_OPENAI_BASE_URL", std::nullopt};
    ScopedEnv no_model_{"CLIPDEX_OPENAI_MODEL", std::nullopt};
    ScopedEnv no_key_{"CLIPDEX_OPENAI_API_KEY", std::nullopt};
    ScopedEnv no_openai_key_{"OPENAI_API_KEY", std::nullopt};
};

// ---- local-text ----

TEST_F(Embedders, LocalTextIsTheDefaultDeterministicUnitLength) {
    const json texts = {"red car driving on a highway", "Ünïcödé wörds survive", ""};
    const Outcome first = embed("", texts);
    ASSERT_TRUE(first.ok()) << first.message;
    EXPECT_EQ(first.result["provider"], "local-text");
    EXPECT_EQ(first.result["model"], "clipdex-hash-ngram-v1-384");
    EXPECT_EQ(first.result["dimension"], 384);
    ASSERT_EQ(first.result["vectors"].size(), 3u);
    for (size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(first.result["vectors"][i].size(), 384u);
        EXPECT_NEAR(norm(first.result["vectors"][i]), 1.0, 1e-5);
    }
    EXPECT_EQ(norm(first.result["vectors"][2]), 0.0) << "a text without words has no direction";

    start();  // a fresh host (plugin re-initialised) gives the very same numbers
    const Outcome second = embed("local-text", texts, "text", "query");
    ASSERT_TRUE(second.ok()) << second.message;
    EXPECT_EQ(second.result["vectors"], first.result["vectors"]);
}

TEST_F(Embedders, LocalTextIsStableAcrossMachines) {
    // Pinned output: XXH3 and the feature set are platform-independent, so this must never change
    // without a new model id.
    const json v = vectorsOf("local-text", {"red car"})[0];
    size_t best = 0;
    for (size_t i = 1; i < v.size(); ++i)
        if (std::abs(v[i].get<double>()) > std::abs(v[best].get<double>())) best = i;
    EXPECT_EQ(best, 28u);
    EXPECT_NEAR(v[best].get<double>(), 1 / 2.1, 1e-6);  // one word of "red car" over the norm of 15 features
    size_t nonzero = 0;
    double weighted = 0;
    for (size_t i = 0; i < v.size(); ++i)
        if (v[i].get<double>() != 0) {
            ++nonzero;
            weighted += static_cast<double>(i) * v[i].get<double>();
        }
    EXPECT_EQ(nonzero, 15u) << "2 words, 1 bigram, 12 character n-grams, no collisions";
    EXPECT_NEAR(weighted, -294.857146, 1e-4);
}

TEST_F(Embedders, LocalTextRelatedTextsScoreHigherThanUnrelated) {
    const json v =
        vectorsOf("local-text", {"red car driving on a highway", "a red car drives along the highway",
                                 "quarterly budget meeting with the finance team", "red car drivng on a higway",
                                 "CAFÉ Crème", "café crème", "ΚΑΛΗΜΕΡΑ Москва", "καλημερα москва", "東京タワー"});
    ASSERT_EQ(v.size(), 9u);
    const double related = cosine(v[0], v[1]);
    const double unrelated = cosine(v[0], v[2]);
    EXPECT_GT(related, 0.4);
    EXPECT_LT(unrelated, 0.15);
    EXPECT_GT(related, unrelated + 0.3);
    EXPECT_GT(cosine(v[0], v[3]), unrelated + 0.3) << "typos still share character n-grams";
    EXPECT_NEAR(cosine(v[4], v[5]), 1.0, 1e-6) << "non-ASCII words are case-folded";
    EXPECT_NEAR(cosine(v[6], v[7]), 1.0, 1e-6) << "Greek and Cyrillic too";
    EXPECT_NEAR(norm(v[8]), 1.0, 1e-5) << "CJK text makes words too";
}

TEST_F(Embedders, LocalTextDimensionAndStopwordsComeFromConfig) {
    start({{"local_text", {{"dimension", 1024}}}});
    const Outcome big = embed("local-text", {"red car"});
    ASSERT_TRUE(big.ok()) << big.message;
    EXPECT_EQ(big.result["model"], "clipdex-hash-ngram-v1-1024");
    EXPECT_EQ(big.result["dimension"], 1024);
    EXPECT_EQ(big.result["vectors"][0].size(), 1024u);

    start({{"local_text", {{"stopwords", false}}}});
    const Outcome all = embed("local-text", {"red car"});
    ASSERT_TRUE(all.ok()) << all.message;
    EXPECT_EQ(all.result["model"], "clipdex-hash-ngram-v1-384-allwords");

    start({{"local_text", {{"dimension", 500}}}});
    const Outcome bad = embed("local-text", {"red car"});
    EXPECT_EQ(bad.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(bad.message.find("local_text.dimension"), std::string::npos) << bad.message;
}

TEST_F(Embedders, LocalTextRejectsImagesAndMalformedRequests) {
    const Outcome image = embed("local-text", {"/tmp/x.jpg"}, "image");
    EXPECT_EQ(image.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(image.message.find("local-text"), std::string::npos) << image.message;
    const Outcome numbers = embed("local-text", {1, 2});
    EXPECT_EQ(numbers.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(numbers.message.find("\"inputs\"[0]"), std::string::npos) << numbers.message;
}

// ---- local-visual ----

TEST_F(Embedders, LocalVisualNearDuplicatesBeatOtherScenes) {
    const fs::path frame = ffmpegImage("frame.jpg", {"-f", "lavfi", "-i", "testsrc=s=320x240:d=1", "-frames:v", "1"});
    const fs::path copy = ffmpegImage("copy.jpg", {"-i", frame.string(), "-vf", "scale=160:120", "-q:v", "12"});
    const fs::path other = ffmpegImage("other.jpg", {"-f", "lavfi", "-i", "mandelbrot=s=320x240", "-frames:v", "1"});
    const fs::path flat =
        ffmpegImage("flat.jpg", {"-f", "lavfi", "-i", "color=c=0x2050c0:s=320x240", "-frames:v", "1"});
    const fs::path bars = ffmpegImage("bars.jpg", {"-f", "lavfi", "-i", "smptebars=s=320x240", "-frames:v", "1"});
    const fs::path graded =
        ffmpegImage("graded.jpg", {"-i", frame.string(), "-vf", "crop=300:220:10:10,scale=320:240,eq=brightness=0.05"});

    const Outcome outcome = embed(
        "",
        {frame.string(), frame.string(), copy.string(), other.string(), flat.string(), bars.string(), graded.string()},
        "image");
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["provider"], "local-visual");
    EXPECT_EQ(outcome.result["model"], "clipdex-frame-descriptor-v1-224");
    EXPECT_EQ(outcome.result["dimension"], 224);
    const json& v = outcome.result["vectors"];
    ASSERT_EQ(v.size(), 7u);
    for (const json& vector : v) {
        EXPECT_EQ(vector.size(), 224u);
        EXPECT_NEAR(norm(vector), 1.0, 1e-5);
    }
    EXPECT_EQ(v[0], v[1]) << "the same image twice";
    EXPECT_NEAR(cosine(v[0], v[1]), 1.0, 1e-6);
    const double duplicate = cosine(v[0], v[2]);
    EXPECT_GT(duplicate, 0.9) << "a rescaled, re-encoded copy";
    EXPECT_GT(duplicate, cosine(v[0], v[3]) + 0.2);
    EXPECT_GT(duplicate, cosine(v[0], v[4]) + 0.2);
    EXPECT_GT(duplicate, cosine(v[0], v[5]) + 0.2) << "colour bars share colours with testsrc, not layout";
    EXPECT_GT(cosine(v[0], v[6]), 0.85) << "slightly cropped and brightened";
    EXPECT_GT(cosine(v[0], v[6]), cosine(v[0], v[5]) + 0.2);
}

TEST_F(Embedders, LocalVisualReportsBadFilesClearly) {
    const fs::path corrupt = home_ / "corrupt.jpg";
    std::ofstream(corrupt) << "this is not a JPEG at all, just text pretending to be one";
    const Outcome bad = embed("local-visual", {corrupt.string()}, "image");
    EXPECT_EQ(bad.status, CDX_E_INVALID_ARGUMENT);
    EXPECT_NE(bad.message.find("cannot decode image " + corrupt.string()), std::string::npos) << bad.message;

    const fs::path missing = home_ / "missing.jpg";
    const Outcome gone = embed("local-visual", {missing.string()}, "image");
    EXPECT_EQ(gone.status, CDX_E_IO);
    EXPECT_NE(gone.message.find("cannot decode image " + missing.string()), std::string::npos) << gone.message;

    const Outcome text = embed("local-visual", {"a red car"}, "text");
    EXPECT_EQ(text.status, CDX_E_INVALID_ARGUMENT);
}

// ---- openai ----

class OpenAi : public Embedders {
protected:
    /// Configures the provider at the stub through the config file.
    void configure(json extra = json::object()) {
        json openai{{"base_url", stub_.baseUrl()},
                    {"model", "test-model"},
                    {"api_key", kKey},
                    {"retry_base_ms", 10},
                    {"timeout_ms", 5000}};
        openai.update(extra);
        start({{"openai", openai}});
    }
    static constexpr const char* kKey = "sk-test-secret-123";
    StubEmbeddingServer stub_;
};

TEST_F(OpenAi, SpeaksTheWireFormatInBatchesAndKeepsOrder) {
    configure({{"batch_size", 2}, {"dimensions", 8}});
    const json inputs = {"a", "bb", "ccc", "dddd", "eeeee"};
    const Outcome outcome = embed("openai", inputs, "text", "query");
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["provider"], "openai");
    EXPECT_EQ(outcome.result["model"], "openai:test-model@8") << "our id, not the server's \"model\" field";
    EXPECT_EQ(outcome.result["dimension"], 8);
    const json& vectors = outcome.result["vectors"];
    ASSERT_EQ(vectors.size(), 5u);
    for (size_t i = 0; i < 5; ++i)
        EXPECT_EQ(vectors[i], json(StubEmbeddingServer::vectorFor(inputs[i].get<std::string>(), 8))) << i;

    const auto requests = stub_.requests();
    ASSERT_EQ(requests.size(), 3u) << "batch_size 2 with 5 inputs";
    const std::vector<json> batches{{"a", "bb"}, {"ccc", "dddd"}, {"eeeee"}};
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(requests[i].method, "POST");
        EXPECT_EQ(requests[i].uri, "/v1/embeddings");
        EXPECT_EQ(requests[i].authorization, std::string("Bearer ") + kKey);
        EXPECT_EQ(requests[i].content_type, "application/json");
        EXPECT_EQ(requests[i].body["model"], "test-model");
        EXPECT_EQ(requests[i].body["input"], batches[i]);
        EXPECT_EQ(requests[i].body["encoding_format"], "float");
        EXPECT_EQ(requests[i].body["dimensions"], 8);
    }
}

TEST_F(OpenAi, EnvironmentOverridesConfigAndNoKeyMeansNoHeader) {
    start({{"openai", {{"base_url", "http://127.0.0.1:1/nowhere"}, {"model", "config-model"}}}});
    ScopedEnv url("CLIPDEX_OPENAI_BASE_URL", stub_.baseUrl() + "/");
    ScopedEnv model("CLIPDEX_OPENAI_MODEL", "env-model");
    const Outcome outcome = embed("openai", {"x"});
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["model"], "openai:env-model");
    EXPECT_EQ(outcome.result["dimension"], 4);
    ASSERT_EQ(stub_.requests().size(), 1u);
    EXPECT_EQ(stub_.requests()[0].authorization, "");
    EXPECT_EQ(stub_.requests()[0].body["model"], "env-model");
    EXPECT_FALSE(stub_.requests()[0].body.contains("dimensions"));

    ScopedEnv key("OPENAI_API_KEY", "sk-fallback");
    ASSERT_TRUE(embed("openai", {"y"}).ok());
    EXPECT_EQ(stub_.requests().back().authorization, "Bearer sk-fallback");
}

TEST_F(OpenAi, RetriesRateLimitsHonouringRetryAfter) {
    configure({{"max_retries", 3}});
    stub_.script({StubBehaviour::fail(429, "1"), StubBehaviour::fail(503)});
    const auto begin = std::chrono::steady_clock::now();
    const Outcome outcome = embed("openai", {"hello"});
    const auto elapsed = std::chrono::steady_clock::now() - begin;
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(stub_.requests().size(), 3u) << "429, 503, then 200";
    EXPECT_GE(elapsed, std::chrono::milliseconds(950)) << "Retry-After: 1 was honoured";
}

TEST_F(OpenAi, GivesUpOnPersistentServerErrors) {
    configure({{"max_retries", 2}});
    stub_.script({}, StubBehaviour::fail(500));
    const Outcome outcome = embed("openai", {"hello"});
    EXPECT_EQ(outcome.status, CDX_E_UNAVAILABLE);
    EXPECT_EQ(stub_.requests().size(), 3u) << "one try and two retries";
    EXPECT_NE(outcome.message.find(stub_.baseUrl()), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("HTTP 500"), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("stub says 500"), std::string::npos) << outcome.message;
}

TEST_F(OpenAi, TimesOut) {
    configure({{"timeout_ms", 200}, {"max_retries", 1}});
    stub_.script({}, StubBehaviour::slow(1000));
    const auto begin = std::chrono::steady_clock::now();
    const Outcome outcome = embed("openai", {"hello"});
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::milliseconds(900));
    EXPECT_EQ(outcome.status, CDX_E_TIMEOUT);
    EXPECT_NE(outcome.message.find("200 ms"), std::string::npos) << outcome.message;
    EXPECT_EQ(stub_.requests().size(), 2u);
}

TEST_F(OpenAi, UnauthorizedIsNotRetriedAndNeverShowsTheKey) {
    configure();
    stub_.script({}, StubBehaviour::fail(401));
    const Outcome outcome = embed("openai", {"hello"});
    EXPECT_EQ(outcome.status, CDX_E_UNAUTHENTICATED);
    EXPECT_NE(outcome.message.find("CLIPDEX_OPENAI_API_KEY"), std::string::npos) << outcome.message;
    EXPECT_EQ(outcome.message.find(kKey), std::string::npos);
    EXPECT_EQ(outcome.details.dump().find(kKey), std::string::npos);
    EXPECT_EQ(stub_.requests().size(), 1u);

    stub_.script({}, StubBehaviour::fail(403));
    EXPECT_EQ(embed("openai", {"hello"}).status, CDX_E_PERMISSION);
}

TEST_F(OpenAi, RejectsAnAnswerWithMissingVectors) {
    configure();
    stub_.script({StubBehaviour::missing(1)});
    const Outcome outcome = embed("openai", {"a", "b"});
    EXPECT_EQ(outcome.status, CDX_E_IO);
    EXPECT_NE(outcome.message.find(stub_.baseUrl()), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("1 embeddings for 2 inputs"), std::string::npos) << outcome.message;
}

TEST_F(OpenAi, UnconfiguredIsUnavailable) {
    start();
    const Outcome outcome = embed("openai", {"hello"});
    EXPECT_EQ(outcome.status, CDX_E_UNAVAILABLE);
    EXPECT_NE(outcome.message.find("set CLIPDEX_OPENAI_BASE_URL or plugins.clipdex.embedders.openai.base_url"),
              std::string::npos)
        << outcome.message;
}

TEST_F(OpenAi, UnreachableServerFailsAfterRetries) {
    for (const std::string scheme : {"http", "https"}) {
        const std::string url = scheme + "://127.0.0.1:1/v1";
        start({{"openai", {{"base_url", url}, {"max_retries", 1}, {"retry_base_ms", 10}}}});
        const Outcome outcome = embed("openai", {"hello"});
        EXPECT_EQ(outcome.status, CDX_E_UNAVAILABLE);
        EXPECT_NE(outcome.message.find("cannot reach " + url + " after 2 attempt(s)"), std::string::npos)
            << outcome.message;
    }
    std::string tls_to_plain = stub_.baseUrl();  // a TLS handshake with a plain HTTP server fails cleanly
    tls_to_plain.replace(0, 4, "https");
    start({{"openai", {{"base_url", tls_to_plain}, {"max_retries", 0}}}});
    const Outcome tls = embed("openai", {"hello"});
    EXPECT_EQ(tls.status, CDX_E_UNAVAILABLE);
    EXPECT_NE(tls.message.find("cannot reach " + tls_to_plain), std::string::npos) << tls.message;

    start({{"openai", {{"base_url", "ftp://127.0.0.1/v1"}}}});
    EXPECT_EQ(embed("openai", {"hello"}).status, CDX_E_INVALID_ARGUMENT);
}

}  // namespace
