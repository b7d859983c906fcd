// Output rendering without the router: tables, key/value lists, JSON selection, display widths.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/render.hpp"

namespace clipdex::cli {
namespace {

std::string human(const json& document, const json& hints = json::object()) {
    std::ostringstream out;
    printHuman(out, document, hints);
    return out.str();
}

TEST(CliRender, ArrayOfObjectsTakesColumnsFromTheFirstRow) {
    const json rows = json::parse(R"([{"name": "a.mp4", "size": 10}, {"name": "long-name.mov", "size": 2000}])");
    EXPECT_EQ(human(rows),
              "name           size\n"
              "-------------  ----\n"
              "a.mp4          10\n"
              "long-name.mov  2000\n");
}

TEST(CliRender, ObjectIsAKeyValueListWithNestedTables) {
    const json object = json::parse(R"({"status": "idle", "progress": 0, "tags": ["a", "b"],
                                        "files": [{"path": "x"}]})");
    EXPECT_EQ(human(object),
              "progress  0\n"
              "status    idle\n"
              "tags      a,b\n"
              "\n"
              "files\n"
              "path\n"
              "----\n"
              "x\n");
}

TEST(CliRender, ScalarsStringsAndNull) {
    EXPECT_EQ(human("line one\nline two"), "line one\nline two\n");
    EXPECT_EQ(human("already ends\n"), "already ends\n");
    EXPECT_EQ(human(json()), "");
    EXPECT_EQ(human(42), "42\n");
    EXPECT_EQ(human(json::array({"a", "b"})), "a\nb\n");
    EXPECT_EQ(human(json::array()), "No results.\n");
}

TEST(CliRender, CellsStayOnOneLine) {
    EXPECT_EQ(human(json::parse(R"([{"text": "two\nlines", "meta": {"k": 1}}])")),
              "meta     text\n"
              "-------  ---------\n"
              "{\"k\":1}  two lines\n");
}

TEST(CliRender, HintedTableGroupsRows) {
    const json document = json::parse(R"({"steps": [
        {"name": "checksum", "category": "Processing"},
        {"name": "ffprobe", "category": "Extraction"},
        {"name": "compress", "category": "Processing"}]})");
    const json hints = json::parse(R"({"table": {"rows": "/steps", "group_by": "category", "title": "{group} Steps",
                                                 "columns": [{"key": "name", "title": "Step Name"}]}})");
    EXPECT_EQ(human(document, hints),
              "Processing Steps\n"
              "Step Name\n"
              "---------\n"
              "checksum\n"
              "compress\n"
              "\n"
              "Extraction Steps\n"
              "Step Name\n"
              "---------\n"
              "ffprobe\n");
}

TEST(CliRender, HintThatDoesNotFitFallsBackToTheShape) {
    const json hints = json::parse(R"({"table": {"rows": "/missing"}})");
    EXPECT_EQ(human(json{{"a", 1}}, hints), "a  1\n");
}

TEST(CliRender, BoldHeadersOnlyWhenAsked) {
    std::ostringstream out;
    printHuman(out, json::parse(R"([{"k": "v"}])"), json::object(), /*bold_headers=*/true);
    EXPECT_EQ(out.str(), "\033[1mk\033[0m\n-\nv\n");
}

TEST(CliRender, JsonSelectionAndRecordMerging) {
    const json document = json::parse(R"({"steps": [1, 2], "total": 2})");
    EXPECT_EQ(selectForJson(document, json{{"json", "/steps"}}), json({1, 2}));
    EXPECT_EQ(selectForJson(document, json{{"json", "/nope"}}), document);
    EXPECT_EQ(selectForJson(document, json{{"json", "not a pointer"}}), document);
    EXPECT_EQ(selectForJson(document, json::object()), document);

    const std::vector<json> records = {json{{"id", 1}}};
    EXPECT_EQ(outputDocument(json(), records), json::parse(R"([{"id": 1}])"));
    EXPECT_EQ(outputDocument(json{{"total", 1}}, records), json::parse(R"({"total": 1, "records": [{"id": 1}]})"));
    EXPECT_EQ(outputDocument(json{{"total", 1}}, {}), json::parse(R"({"total": 1})"));
}

TEST(CliRender, DisplayWidthCountsColumnsNotBytes) {
    EXPECT_EQ(displayWidth("abc"), 3u);
    EXPECT_EQ(displayWidth("h\xC3\xA9llo"), 5u);              // é is one column
    EXPECT_EQ(displayWidth("\xE6\x97\xA5\xE6\x9C\xAC"), 4u);  // 日本: wide
    EXPECT_EQ(displayWidth("\xE2\x9C\x85 ok"), 5u);           // ✅ is wide
    EXPECT_EQ(displayWidth("e\xCC\x81"), 1u);                 // e + combining acute
    EXPECT_EQ(displayWidth("\xFF"), 1u);                      // invalid UTF-8 still counts
}

TEST(CliRender, WideCharactersStayAligned) {
    EXPECT_EQ(human(json::parse(R"([{"s": "\u2705 ok", "n": 1}, {"s": "no", "n": 2}])")),
              "n  s\n"
              "-  -----\n"
              "1  \xE2\x9C\x85 ok\n"
              "2  no\n");
}

}  // namespace
}  // namespace clipdex::cli
