// The HTTP router's pure parts: route matching, request-target parsing, argument merging, envelopes and
// OpenAPI schema cleaning. The Poco side is covered by tests/integration/http_server_test.cpp.
#include <gtest/gtest.h>

#include "core/command.hpp"
#include "core/schema.hpp"
#include "http/envelope.hpp"
#include "http/openapi.hpp"
#include "http/request_args.hpp"
#include "http/route_table.hpp"

namespace {

using clipdex::BuiltinCommand;
using clipdex::CommandDecl;
using clipdex::json;
using clipdex::Outcome;
using namespace clipdex::http;

std::unique_ptr<BuiltinCommand> command(std::string id, std::string method, std::string path) {
    CommandDecl decl;
    decl.plugin_id = "p";
    decl.id = std::move(id);
    decl.http_method = std::move(method);
    decl.http_path = std::move(path);
    return std::make_unique<BuiltinCommand>(decl, [](clipdex::Invocation&) { return json(); });
}

std::vector<std::string> segments(std::string_view target) {
    return splitTarget(target).value().segments;
}

TEST(HttpRouteTable, LiteralSegmentsWinOverTemplatesWhateverTheOrder) {
    auto by_id = command("by-id", "GET", "/api/clips/{id}");
    auto recent = command("recent", "GET", "/api/clips/recent");
    RouteTable table;
    table.add(*by_id);
    table.add(*recent);
    EXPECT_EQ(table.match("GET", segments("/api/clips/recent")).route->command, recent.get());
    const RouteMatch other = table.match("GET", segments("/api/clips/c7"));
    ASSERT_EQ(other.kind, RouteMatch::Kind::Found);
    EXPECT_EQ(other.route->command, by_id.get());
    EXPECT_EQ(other.path_params.at("id"), "c7");
}

TEST(HttpRouteTable, OtherMethodsOnAKnownPathAre405WithTheAllowedList) {
    auto get = command("get", "GET", "/api/clips/{id}");
    auto del = command("delete", "DELETE", "/api/clips/{id}");
    RouteTable table;
    table.add(*get);
    table.add(*del);
    const RouteMatch put = table.match("PUT", segments("/api/clips/x"));
    EXPECT_EQ(put.kind, RouteMatch::Kind::MethodNotAllowed);
    EXPECT_EQ(put.allowed_methods, (std::vector<std::string>{"DELETE", "GET"}));
    EXPECT_EQ(table.match("GET", segments("/api/clips")).kind, RouteMatch::Kind::NotFound);
    EXPECT_EQ(table.match("GET", segments("/api/clips/x/y")).kind, RouteMatch::Kind::NotFound);
}

TEST(HttpRouteTable, SameShapeClashesNameBothCommands) {
    auto a = command("a", "GET", "/x/{one}");
    auto b = command("b", "GET", "/x/{two}");
    auto c = command("c", "POST", "/x/{two}");
    RouteTable table;
    table.add(*a);
    try {
        table.add(*b);
        FAIL() << "expected a clash";
    } catch (const std::invalid_argument& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("'a'"), std::string::npos) << message;
        EXPECT_NE(message.find("'b'"), std::string::npos) << message;
    }
    EXPECT_NO_THROW(table.add(*c));
}

TEST(HttpRouteTable, TemplatesMustBindWholeSegments) {
    EXPECT_THROW(parseTemplate("/x/pre{id}"), std::invalid_argument);
    EXPECT_THROW(parseTemplate("/x/{}"), std::invalid_argument);
    const auto parsed = parseTemplate("/api/{id}/");
    ASSERT_EQ(parsed.size(), 2u);
    EXPECT_TRUE(parsed[1].is_param);
    EXPECT_EQ(parsed[1].text, "id");
}

TEST(HttpRequestTarget, SplitsBeforeDecodingSoEscapedSlashesStayInTheSegment) {
    const auto target = splitTarget("/api/clips/a%2Fb%20c/?q=1#frag");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->segments, (std::vector<std::string>{"api", "clips", "a/b c"}));
    EXPECT_EQ(target->raw_query, "q=1");
    EXPECT_EQ(splitTarget("http://host:8000/api/x?y")->segments, (std::vector<std::string>{"api", "x"}));
    EXPECT_FALSE(splitTarget("/api/%zz"));
    EXPECT_FALSE(splitTarget("/api/%4"));
}

TEST(HttpRequestTarget, QueryStringsDecodePlusAndPercent) {
    const auto pairs = parseQuery("a=1&b=x+y%21&a=2&flag&=skipped&&c=");
    ASSERT_TRUE(pairs);
    const QueryPairs expected = {{"a", "1"}, {"b", "x y!"}, {"a", "2"}, {"flag", ""}, {"c", ""}};
    EXPECT_EQ(*pairs, expected);
    EXPECT_FALSE(parseQuery("a=%G0"));
}

class HttpMergeArgs : public ::testing::Test {
protected:
    json schema = {
        {"type", "object"},
        {"properties",
         {{"id", {{"type", "string"}}},
          {"limit", {{"type", "integer"}, {"default", 10}, {"x-http-aliases", {"count", "match_count"}}}},
          {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"kind", {{"type", "string"}, {"enum", {"hybrid", "fulltext"}}, {"x-enum-aliases", {{"all", "hybrid"}}}}},
          {"local", {{"type", "boolean"}, {"x-cli-only", true}}}}},
        {"required", {"id", "local"}}};
    json http = httpArgsSchema(schema);
};

TEST_F(HttpMergeArgs, TextIsCoercedButJsonBodiesStayStrict) {
    EXPECT_EQ(mergeArgs(http, {{"id", "c1"}}, {{"limit", "5"}}, nullptr), (json{{"id", "c1"}, {"limit", 5}}));
    try {
        mergeArgs(http, {{"id", "c1"}}, {}, json{{"limit", "5"}});
        FAIL() << "a string limit in a JSON body must be rejected";
    } catch (const clipdex::schema::ValidationError& error) {
        EXPECT_EQ(error.field(), "limit");
    }
}

TEST_F(HttpMergeArgs, PathBeatsBodyBeatsQuery) {
    const json merged = mergeArgs(http, {{"id", "from-path"}}, {{"id", "from-query"}, {"limit", "1"}},
                                  json{{"id", "from-body"}, {"limit", 2}});
    EXPECT_EQ(merged["id"], "from-path");
    EXPECT_EQ(merged["limit"], 2);
}

TEST_F(HttpMergeArgs, RepeatedQueryKeysBecomeArraysAndAliasesResolve) {
    const json merged = mergeArgs(http, {{"id", "c"}}, {{"tags", "a,b"}, {"tags", "c"}, {"kind", "all"}}, nullptr);
    EXPECT_EQ(merged["tags"], json::array({"a", "b", "c"}));
    EXPECT_EQ(merged["kind"], "hybrid");
}

TEST_F(HttpMergeArgs, HttpAliasesNameTheArgumentButTheRealNameWins) {
    EXPECT_EQ(mergeArgs(http, {{"id", "c"}}, {{"count", "7"}}, nullptr)["limit"], 7);
    EXPECT_EQ(mergeArgs(http, {{"id", "c"}}, {}, json{{"match_count", 3}})["limit"], 3);
    EXPECT_EQ(mergeArgs(http, {{"id", "c"}}, {{"count", "7"}, {"limit", "2"}}, nullptr)["limit"], 2);
    EXPECT_EQ(mergeArgs(http, {{"id", "c"}}, {}, json{{"match_count", 3}, {"limit", 4}})["limit"], 4);
    try {
        mergeArgs(http, {{"id", "c"}}, {{"count", "many"}}, nullptr);
        FAIL() << "an alias is validated as its argument";
    } catch (const clipdex::schema::ValidationError& error) {
        EXPECT_EQ(error.field(), "limit");
    }
}

TEST(HttpAliasesProfile, AnAliasMayNotShadowAnArgumentOrAnotherAlias) {
    const json clash = {
        {"type", "object"},
        {"properties", {{"q", {{"type", "string"}, {"x-http-aliases", {"query"}}}}, {"query", {{"type", "string"}}}}}};
    EXPECT_THROW(clipdex::schema::checkProfile(clash, "args"), std::invalid_argument);
    const json twice = {{"type", "object"},
                        {"properties",
                         {{"a", {{"type", "string"}, {"x-http-aliases", {"x"}}}},
                          {"b", {{"type", "string"}, {"x-http-aliases", {"x"}}}}}}};
    EXPECT_THROW(clipdex::schema::checkProfile(twice, "args"), std::invalid_argument);
    const json fine = {{"type", "object"},
                       {"properties", {{"q", {{"type", "string"}, {"x-http-aliases", {"query"}}}}}}};
    EXPECT_NO_THROW(clipdex::schema::checkProfile(fine, "args"));
}

TEST_F(HttpMergeArgs, CliOnlyArgumentsDoNotExistOverHttp) {
    EXPECT_FALSE(http["properties"].contains("local"));
    EXPECT_EQ(http["required"], json::array({"id"}));
    try {
        mergeArgs(http, {{"id", "c"}}, {{"local", "true"}}, nullptr);
        FAIL() << "expected an unknown-argument error";
    } catch (const clipdex::schema::ValidationError& error) {
        EXPECT_EQ(error.field(), "local");
    }
}

TEST(HttpEnvelope, ErrorCodeComesFromDetailsOrTheStatus) {
    CommandDecl decl;
    const auto plugin = replyFor(decl, Outcome::failure(CDX_E_NOT_FOUND, "gone", json{{"code", "CLIP_NOT_FOUND"}}));
    EXPECT_EQ(plugin.status, 404);
    EXPECT_EQ(plugin.body["code"], "CLIP_NOT_FOUND");
    EXPECT_EQ(plugin.body["error"], "gone");
    EXPECT_FALSE(plugin.body.contains("details"));
    const auto generic =
        replyFor(decl, Outcome::failure(CDX_E_INVALID_ARGUMENT, "bad", json{{"field", "x"}, {"n", 1}}));
    EXPECT_EQ(generic.status, 400);
    EXPECT_EQ(generic.body["code"], "VALIDATION_ERROR");
    EXPECT_EQ(generic.body["field"], "x");
    EXPECT_EQ(generic.body["details"], (json{{"n", 1}}));
}

TEST(HttpEnvelope, RecordsAndUnwrappedResults) {
    CommandDecl decl;
    Outcome streamed;
    streamed.records = {json(1), json(2)};
    EXPECT_EQ(replyFor(decl, streamed).body["data"], json::array({1, 2}));
    streamed.result = json{{"total", 2}};
    const json both = replyFor(decl, streamed).body;
    EXPECT_EQ(both["data"], (json{{"total", 2}}));
    EXPECT_EQ(both["records"], json::array({1, 2}));
    EXPECT_FALSE(replyFor(decl, Outcome{}).body.contains("data"));
    decl.output = {{"http_envelope", false}};
    EXPECT_EQ(replyFor(decl, streamed).body, (json{{"total", 2}}));
}

TEST(HttpEnvelope, LiftedKeysAreCopiedToTheTopLevelWithoutReplacingTheEnvelope) {
    CommandDecl decl;
    decl.http_lift = {"results", "total", "success", "absent"};
    Outcome outcome;
    outcome.result = json{{"results", json::array({1})}, {"total", 1}, {"success", "no"}, {"other", 2}};
    const auto reply = replyFor(decl, outcome);
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.body["results"], json::array({1}));
    EXPECT_EQ(reply.body["total"], 1);
    EXPECT_EQ(reply.body["success"], true);  // the envelope's own key wins
    EXPECT_FALSE(reply.body.contains("other"));
    EXPECT_FALSE(reply.body.contains("absent"));
    EXPECT_EQ(reply.body["data"], outcome.result);
    decl.http_lift = {"*"};
    EXPECT_EQ(replyFor(decl, outcome).body["other"], 2);
}

TEST(HttpEnvelope, RenamedAndOmittedKeysLeaveOneCopyPerClientShape) {
    CommandDecl decl;
    decl.http_lift = {"results", "clip=/one", "whole="};
    decl.http_rename = {{"results", "data"}};
    decl.http_omit = {"overview"};
    Outcome outcome;
    outcome.result = json{{"results", json::array({1, 2})}, {"one", {{"id", "a"}}}, {"overview", json::array()}};
    const json body = replyFor(decl, outcome).body;
    EXPECT_EQ(body["results"], json::array({1, 2}));  // the first panel generation
    EXPECT_EQ(body["data"]["data"], json::array({1, 2}));  // the second
    EXPECT_FALSE(body["data"].contains("results"));
    EXPECT_FALSE(body["data"].contains("overview"));
    EXPECT_EQ(body["clip"], (json{{"id", "a"}}));
    EXPECT_EQ(body["whole"], outcome.result);  // lifted before rename and omit
}

TEST(HttpEnvelope, StatusAndBarePointerBodies) {
    CommandDecl decl;
    decl.http_status = 202;
    Outcome outcome;
    outcome.result = json{{"steps", json::array({"a", "b"})}};
    EXPECT_EQ(replyFor(decl, outcome).status, 202);
    decl.http_body = "/steps";
    const auto bare = replyFor(decl, outcome);
    EXPECT_EQ(bare.status, 202);
    EXPECT_EQ(bare.body, json::array({"a", "b"}));
    // Failures keep their own status and the error envelope.
    const auto failed = replyFor(decl, Outcome::failure(CDX_E_NOT_FOUND, "gone"));
    EXPECT_EQ(failed.status, 404);
    EXPECT_EQ(failed.body["success"], false);
}

TEST(HttpRouteTable, AliasesRouteToTheSameCommandAndClashLikePaths) {
    CommandDecl decl;
    decl.plugin_id = "p";
    decl.id = "similar";
    decl.http_method = "GET";
    decl.http_path = "/api/search/similar";
    decl.http_aliases = {"/api/similar"};
    BuiltinCommand similar(decl, [](clipdex::Invocation&) { return json(); });
    auto clash = command("other", "GET", "/api/similar");
    RouteTable table;
    table.add(similar);
    EXPECT_EQ(table.match("GET", segments("/api/similar")).route->command, &similar);
    EXPECT_EQ(table.match("GET", segments("/api/search/similar")).route->command, &similar);
    EXPECT_THROW(table.add(*clash), std::invalid_argument);
}

TEST(HttpOpenApi, SchemasLoseHintsButKeepPropertyNames) {
    const json cleaned =
        openApiSchema({{"type", "object"},
                       {"properties",
                        {{"x-name", {{"type", "string"}, {"x-cli-short", "n"}, {"examples", json::array({"a"})}}},
                         {"list", {{"type", "array"}, {"items", {{"type", "string"}, {"x-hidden", true}}}}}}}});
    EXPECT_EQ(cleaned["properties"]["x-name"], (json{{"type", "string"}, {"example", "a"}}));
    EXPECT_EQ(cleaned["properties"]["list"]["items"], (json{{"type", "string"}}));
}

}  // namespace
