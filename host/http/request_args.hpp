// Turns an HTTP request's path parameters, query string and JSON body into one validated arguments
// object. Pure logic (no Poco) so the precedence and coercion rules are unit-testable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace clipdex::http {

using QueryPairs = std::vector<std::pair<std::string, std::string>>;

/// A request-target split into decoded path segments and the raw query. nullopt for a malformed
/// percent escape. Empty segments ("//", trailing '/') are dropped.
struct RequestTarget {
    std::string path;  // raw path as sent, for logs and error messages
    std::vector<std::string> segments;
    std::string raw_query;
};
std::optional<RequestTarget> splitTarget(std::string_view target);

/// Decodes %XX escapes (and '+' as a space when plus_is_space, as in query strings). nullopt if malformed.
std::optional<std::string> percentDecode(std::string_view text, bool plus_is_space);

/// Parses "a=1&b=x+y&a=2" into decoded pairs in order. nullopt for a malformed escape.
std::optional<QueryPairs> parseQuery(std::string_view raw_query);

/// The argument schema as HTTP sees it: properties marked "x-cli-only" are dropped (and from "required").
json httpArgsSchema(const json& args_schema);

/// Merges the three sources and validates the result against `schema` (throws schema::ValidationError).
/// Precedence on duplicates: path over body over query. Path and query values are text and get coerced
/// (Origin::Text: "5" → 5); body values keep their JSON types (Origin::Json: "abc" is not an integer).
/// A repeated query key becomes an array. `body` is a JSON object or null when there was none.
json mergeArgs(const json& schema, const std::map<std::string, std::string>& path_params, const QueryPairs& query,
               const json& body);

}  // namespace clipdex::http
