// clipdex.dispatch/1: a plugin reaching another provider's search backend or embedding provider through
// the host, with the real fixture plugin (tests/fixtures/plugins/providers) loaded by a real Runtime.
#include <gtest/gtest.h>

#include <cstdlib>

#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::Invocation;
using clipdex::json;
using clipdex::Runtime;
using clipdex::test::TempDir;

class Dispatch : public ::testing::Test {
protected:
    void SetUp() override { runtime_ = clipdex::test::fixtureRuntime("providers", home_ / "catalog.db"); }

    json fanout(json args) {
        clipdex::Command* command = nullptr;
        for (auto* candidate : runtime_->registry().commands())
            if (candidate->decl().id == "fanout") command = candidate;
        EXPECT_NE(command, nullptr);
        Invocation call;
        call.request_id = "req-42";
        call.args = json{{"backend", "fx_echo"}, {"provider", ""}, {"q", "red car"}};
        for (auto& [key, value] : args.items()) call.args[key] = value;
        const auto outcome = command->run(call);
        EXPECT_TRUE(outcome.ok()) << outcome.message;
        return outcome.result;
    }

    TempDir home_;
    std::unique_ptr<Runtime> runtime_;
};

TEST_F(Dispatch, SearchReturnsTheBackendSummaryAndItsHitsUnderTheCallersIdentity) {
    const json result = fanout({});
    ASSERT_TRUE(result.contains("search")) << result.dump();
    const json& search = result["search"];
    ASSERT_EQ(search["hits"].size(), 2U);
    EXPECT_EQ(search["hits"][0]["id"], "red");
    EXPECT_EQ(search["hits"][1]["rank"], 2);
    EXPECT_EQ(search["summary"]["total"], 2);
    EXPECT_EQ(search["summary"]["request_id"], "req-42");
    EXPECT_EQ(search["summary"]["principal"]["id"], "local");
}

TEST_F(Dispatch, AnUnknownBackendFailsTheInnerCallOnlyWithAMessageNamingIt) {
    const json result = fanout({{"backend", "no_such_backend"}, {"provider", "fx_length"}});
    ASSERT_TRUE(result.contains("search_error")) << result.dump();
    EXPECT_EQ(result["search_error"]["status"], CDX_E_UNSUPPORTED);
    EXPECT_NE(result["search_error"]["message"].get<std::string>().find("no_such_backend"), std::string::npos);
    EXPECT_TRUE(result.contains("embed")) << "the outer call went on after recovering";
}

TEST_F(Dispatch, EmbedByIdAndTheConfiguredDefaultProvider) {
    const json named = fanout({{"provider", "fx_length"}, {"q", "a red car"}});
    ASSERT_TRUE(named.contains("embed")) << named.dump();
    EXPECT_EQ(named["embed"]["provider"], "fx_length");
    EXPECT_EQ(named["embed"]["model"], "fx-length-v1");
    EXPECT_EQ(named["embed"]["vectors"], json::parse("[[9.0, 3.0]]"));

    // No provider named: the default is local-text, which this fixture-only host lacks.
    const json fallback = fanout({});
    ASSERT_TRUE(fallback.contains("embed_error")) << fallback.dump();
    EXPECT_NE(fallback["embed_error"]["message"].get<std::string>().find("local-text"), std::string::npos);

    ::setenv("CLIPDEX_TEXT_EMBEDDINGS", "fx_length", 1);
    const json configured = fanout({});
    ::unsetenv("CLIPDEX_TEXT_EMBEDDINGS");
    ASSERT_TRUE(configured.contains("embed")) << configured.dump();
    EXPECT_EQ(configured["embed"]["provider"], "fx_length");
}

TEST_F(Dispatch, AProviderAnswerWithoutVectorsIsRefused) {
    const json result = fanout({{"provider", "fx_broken"}});
    ASSERT_TRUE(result.contains("embed_error")) << result.dump();
    EXPECT_EQ(result["embed_error"]["status"], CDX_E_INTERNAL);
    EXPECT_NE(result["embed_error"]["message"].get<std::string>().find("fx_broken"), std::string::npos);
}

TEST_F(Dispatch, RegistryListsEmbeddingProviders) {
    const json providers = runtime_->describeRegistry("embedding_providers");
    ASSERT_EQ(providers.size(), 2U);
    EXPECT_EQ(providers[0]["id"], "fx_length");
    EXPECT_EQ(providers[0]["kinds"], json::parse(R"(["text"])"));
}

}  // namespace
