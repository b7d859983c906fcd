// Manifest validation: what a plugin may declare and how a bad declaration is reported.
#include "core/manifest.hpp"

#include <gtest/gtest.h>

namespace {

using clipdex::json;
using clipdex::ManifestError;
using clipdex::parseManifest;

json base() {
    return json::parse(R"({"schema": "clipdex.manifest/1", "id": "com.example.thing", "name": "Thing",
                           "version": "1.0.0", "abi": {"major": 1, "min_host_minor": 0}})");
}

std::string errorOf(const json& manifest) {
    try {
        parseManifest(manifest.dump());
    } catch (const ManifestError& error) {
        return error.what();
    }
    return "<valid>";
}

TEST(Manifest, ParsesEveryCapabilityKind) {
    json manifest = base();
    manifest["concurrency"] = "serial";
    manifest["provides"] = json::parse(R"({
      "commands": [{"id": "recent", "summary": "Recent clips", "cli": {"path": ["search", "recent"]},
                    "http": {"method": "GET", "path": "/api/search/recent"}, "timeout_ms": 5000,
                    "args": {"type": "object", "properties": {"limit": {"type": "integer", "default": 10}}}},
                   {"id": "plain", "summary": "Defaults apply"}],
      "steps": [{"id": "generate_checksum", "category": "Processing", "description": "Checksum",
                 "depends_on": [], "config": {"type": "object", "properties": {}}}],
      "search_backends": [{"id": "fts", "summary": "Full text", "capabilities": ["fulltext"]}],
      "auth_providers": [{"id": "local", "summary": "Accounts", "schemes": ["bearer", "cookie"]}]})");
    const auto parsed = parseManifest(manifest.dump());
    EXPECT_EQ(parsed.id, "com.example.thing");
    EXPECT_TRUE(parsed.serial);
    ASSERT_EQ(parsed.commands.size(), 2u);
    EXPECT_EQ(parsed.commands[0].cli_path, (std::vector<std::string>{"search", "recent"}));
    EXPECT_EQ(parsed.commands[0].timeout_ms, 5000);
    EXPECT_EQ(parsed.commands[1].cli_path, std::vector<std::string>{"plain"});
    EXPECT_EQ(parsed.commands[1].http_method, "POST");
    EXPECT_EQ(parsed.commands[1].http_path, "/api/plugins/com.example.thing/plain");
    EXPECT_EQ(parsed.steps.at(0).category, "Processing");
    EXPECT_EQ(parsed.search_backends.at(0).capabilities, std::vector<std::string>{"fulltext"});
    EXPECT_EQ(parsed.auth_providers.at(0).capabilities.size(), 2u);
}

TEST(Manifest, ErrorsNameTheLocation) {
    EXPECT_EQ(errorOf(json::array()), "manifest must be a JSON object");
    EXPECT_EQ(errorOf(json::parse("{}")), "manifest: \"schema\" is required");
    json wrong_schema = base();
    wrong_schema["schema"] = "clipdex.manifest/9";
    EXPECT_NE(errorOf(wrong_schema).find("manifest.schema"), std::string::npos);
    json no_abi = base();
    no_abi.erase("abi");
    EXPECT_NE(errorOf(no_abi).find("manifest.abi"), std::string::npos);
    json bad_id = base();
    bad_id["id"] = "Not Valid";
    EXPECT_NE(errorOf(bad_id).find("manifest.id"), std::string::npos);

    json command = base();
    command["provides"]["commands"] = json::parse(R"([{"id": "ok", "summary": "s"}, {"id": "x"}])");
    EXPECT_EQ(errorOf(command), "provides.commands[1]: \"summary\" is required");
    command["provides"]["commands"][1] = json::parse(R"({"id": "x", "summary": "s", "cli": {"path": ["Bad"]}})");
    EXPECT_NE(errorOf(command).find("provides.commands[1].cli.path"), std::string::npos);
    command["provides"]["commands"][1] =
        json::parse(R"({"id": "x", "summary": "s", "http": {"method": "GET", "path": "/api/x/{missing}"}})");
    EXPECT_NE(errorOf(command).find("{missing}"), std::string::npos);
    command["provides"]["commands"][1] = json::parse(
        R"({"id": "x", "summary": "s", "http": {"path": "/api/x/pre{id}"}, "args": {"properties": {"id": {}}}})");
    EXPECT_NE(errorOf(command).find("whole path segment"), std::string::npos);
    command["provides"]["commands"][1] = json::parse(
        R"({"id": "x", "summary": "s", "args": {"properties": {"n": {"type": "integer", "default": "many"}}}})");
    EXPECT_NE(errorOf(command).find("provides.commands[1].args"), std::string::npos);
    command["provides"]["commands"][1] = json::parse(R"({"id": "ok", "summary": "duplicate"})");
    EXPECT_NE(errorOf(command).find("declared twice"), std::string::npos);
}

TEST(Manifest, HttpAliasesStatusLiftAndBodyAreCheckedAndKept) {
    json manifest = base();
    manifest["provides"]["commands"] = json::parse(R"([{"id": "x", "summary": "s",
        "args": {"properties": {"id": {"type": "string"}}},
        "http": {"method": "GET", "path": "/api/x/{id}", "aliases": ["/api/legacy/{id}"], "status": 202,
                 "lift": ["results", "total"], "body": "/steps"}}])");
    const auto parsed = parseManifest(manifest.dump());
    const auto& decl = parsed.commands.at(0);
    EXPECT_EQ(decl.http_aliases, std::vector<std::string>{"/api/legacy/{id}"});
    EXPECT_EQ(decl.http_status, 202);
    EXPECT_EQ(decl.http_lift, (std::vector<std::string>{"results", "total"}));
    EXPECT_EQ(decl.http_body, "/steps");

    auto http = [&](const char* text) {
        json bad = manifest;
        bad["provides"]["commands"][0]["http"] = json::parse(text);
        return errorOf(bad);
    };
    EXPECT_NE(http(R"({"path": "/a", "aliases": ["/b/{missing}"]})").find("http.aliases"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "status": 404})").find("2xx"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "body": "steps"})").find("http.body"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "body": "/~9"})").find("JSON pointer"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "lift": ["=/x"]})").find("http.lift"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "lift": ["k=x"]})").find("JSON pointer"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "rename": {"a": ""}})").find("http.rename.a"), std::string::npos);
    EXPECT_NE(http(R"({"path": "/a", "cache": "forever"})").find("http.cache"), std::string::npos);
    EXPECT_NE(http(R"({"method": "POST", "path": "/a", "cache": "catalog"})").find("needs method GET"),
              std::string::npos);
}

TEST(Manifest, CatalogCachedRoutesAreGetsThatSayWhatTheyDependOn) {
    json manifest = base();
    manifest["provides"]["commands"] = json::parse(R"([{"id": "x", "summary": "s",
        "http": {"method": "GET", "path": "/api/x", "cache": "catalog"}},
        {"id": "y", "summary": "s", "http": {"method": "GET", "path": "/api/y"}}])");
    const auto parsed = parseManifest(manifest.dump());
    EXPECT_EQ(parsed.commands.at(0).http_cache, "catalog");
    EXPECT_EQ(parsed.commands.at(1).http_cache, "none");
}

TEST(Manifest, RejectsUnknownCapabilityKindsAndGappedPositionals) {
    json unknown = base();
    unknown["provides"] = json::parse(R"({"widgets": []})");
    EXPECT_NE(errorOf(unknown).find("provides.widgets"), std::string::npos);
    json gaps = base();
    gaps["provides"]["commands"] = json::parse(R"([{"id": "c", "summary": "s", "args": {"properties": {
        "a": {"x-cli-positional": 0}, "b": {"x-cli-positional": 2}}}}])");
    EXPECT_NE(errorOf(gaps).find("x-cli-positional"), std::string::npos);
    EXPECT_EQ(errorOf(json()), "manifest must be a JSON object");
    EXPECT_EQ(
        [] {
            try {
                parseManifest("{not json");
            } catch (const ManifestError& error) {
                return std::string(error.what());
            }
            return std::string();
        }(),
        "manifest is not valid JSON");
}

}  // namespace
