// The OpenAPI 3.0.3 document served at /api/openapi.json, generated from the routed declarations.
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "http/route_table.hpp"

namespace clipdex::http {

/// One path item per route template, one operation per method; operationId "<plugin>.<command>",
/// tag = plugin id ("host" for host builtins).
json buildOpenApi(const std::vector<Route>& routes, const std::string& version);

/// A JSON Schema fragment from an argument schema: x-* hints removed, "examples" turned into the
/// OpenAPI 3.0 "example" (3.0's Schema Object has no "examples").
json openApiSchema(const json& schema);

}  // namespace clipdex::http
