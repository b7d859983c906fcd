// The argument-schema profile shared by the CLI and HTTP routers.
#include "core/schema.hpp"

#include <gtest/gtest.h>

namespace {

using clipdex::json;
using clipdex::schema::Origin;
using clipdex::schema::validateArgs;
using clipdex::schema::ValidationError;

const json kSchema = json::parse(R"({
  "type": "object", "required": ["directory"],
  "properties": {
    "directory": {"type": "string", "x-cli-positional": 0},
    "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10},
    "weight": {"type": "number", "default": 0.7},
    "recursive": {"type": "boolean", "default": true},
    "enable": {"type": "array", "items": {"type": "string"}},
    "type": {"type": "string", "enum": ["hybrid", "fulltext"], "default": "hybrid",
             "x-enum-aliases": {"all": "hybrid", "keyword": "fulltext"}}
  }})");

std::string fieldOf(const json& input, Origin origin) {
    try {
        validateArgs(kSchema, input, origin);
    } catch (const ValidationError& error) {
        return error.field();
    }
    return "<valid>";
}

TEST(SchemaValidation, FillsDefaultsAndKeepsGivenValues) {
    const json result = validateArgs(kSchema, json{{"directory", "/media"}}, Origin::Json);
    EXPECT_EQ(result,
              json::parse(R"({"directory":"/media","limit":10,"weight":0.7,"recursive":true,"type":"hybrid"})"));
}

TEST(SchemaValidation, CoercesTextFromCliAndQueryStrings) {
    const json input = {{"directory", "d"},
                        {"limit", "25"},
                        {"weight", "0.25"},
                        {"recursive", "no"},
                        {"enable", json::array({"a,b", " c "})},
                        {"type", "keyword"}};
    const json result = validateArgs(kSchema, input, Origin::Text);
    EXPECT_EQ(result["limit"], 25);
    EXPECT_DOUBLE_EQ(result["weight"].get<double>(), 0.25);
    EXPECT_EQ(result["recursive"], false);
    EXPECT_EQ(result["enable"], json::array({"a", "b", "c"}));
    EXPECT_EQ(result["type"], "fulltext");
}

TEST(SchemaValidation, JsonOriginDoesNotCoerceStrings) {
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"limit", "25"}}, Origin::Json), "limit");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"recursive", "true"}}, Origin::Json), "recursive");
    EXPECT_EQ(fieldOf(json{{"directory", 5}}, Origin::Json), "directory");
}

TEST(SchemaValidation, NamesTheBadFieldAndExplains) {
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"limit", "abc"}}, Origin::Text), "limit");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"limit", "0"}}, Origin::Text), "limit");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"limit", "5000"}}, Origin::Text), "limit");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"limit", "12abc"}}, Origin::Text), "limit");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"type", "fuzzy"}}, Origin::Text), "type");
    EXPECT_EQ(fieldOf(json{{"directory", "d"}, {"colour", "red"}}, Origin::Text), "colour");
    EXPECT_EQ(fieldOf(json::object(), Origin::Text), "directory");
    try {
        validateArgs(kSchema, json{{"directory", "d"}, {"type", "fuzzy"}}, Origin::Text);
    } catch (const ValidationError& error) {
        EXPECT_NE(std::string(error.what()).find("hybrid, fulltext"), std::string::npos) << error.what();
    }
}

TEST(SchemaValidation, NullMeansAbsentAndNonObjectIsRejected) {
    EXPECT_EQ(validateArgs(kSchema, json{{"directory", "d"}, {"limit", nullptr}}, Origin::Json)["limit"], 10);
    EXPECT_THROW(validateArgs(kSchema, json::array(), Origin::Json), ValidationError);
}

TEST(SchemaProfile, RejectsKeywordsAndDefaultsOutsideTheProfile) {
    using clipdex::schema::checkProfile;
    EXPECT_NO_THROW(checkProfile(kSchema, "args"));
    EXPECT_THROW(checkProfile(json::parse(R"({"properties": {"x": {"type": "object"}}})"), "args"),
                 std::invalid_argument);
    EXPECT_THROW(checkProfile(json::parse(R"({"properties": {"x": {"oneOf": []}}})"), "args"), std::invalid_argument);
    EXPECT_THROW(checkProfile(json::parse(R"({"properties": {"x": {"type": "integer", "default": "ten"}}})"), "args"),
                 std::invalid_argument);
    EXPECT_THROW(checkProfile(json::parse(R"({"properties": {}, "required": ["ghost"]})"), "args"),
                 std::invalid_argument);
}

}  // namespace
