#include "http/openapi.hpp"

#include <algorithm>
#include <set>

#include "http/envelope.hpp"
#include "http/request_args.hpp"

namespace clipdex::http {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

bool takesBody(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH";
}

json jsonContent(json schema) {
    return {{"application/json", {{"schema", std::move(schema)}}}};
}

json ref(const std::string& name) {
    return {{"$ref", "#/components/schemas/" + name}};
}

json components() {
    json success = {
        {"type", "object"},
        {"required", {"success", "message", "timestamp"}},
        {"properties",
         {{"success", {{"type", "boolean"}, {"enum", json::array({true})}}},
          {"message", {{"type", "string"}}},
          {"timestamp", {{"type", "number"}, {"description", "Unix time in seconds"}}},
          {"data", {{"description", "The command's result, or its streamed records when it has no result"}}},
          {"records", {{"type", "array"}, {"items", json::object()}}}}}};
    json error = {{"type", "object"},
                  {"required", {"success", "error", "code", "timestamp"}},
                  {"properties",
                   {{"success", {{"type", "boolean"}, {"enum", json::array({false})}}},
                    {"error", {{"type", "string"}}},
                    {"code", {{"type", "string"}, {"example", "VALIDATION_ERROR"}}},
                    {"timestamp", {{"type", "number"}}},
                    {"field", {{"type", "string"}, {"description", "The offending argument, for validation errors"}}},
                    {"details", {{"type", "object"}}}}}};
    return {{"schemas", {{"SuccessEnvelope", std::move(success)}, {"ErrorEnvelope", std::move(error)}}}};
}

json responses(const CommandDecl& decl) {
    json ok = usesEnvelope(decl) ? json{{"description", "Success"}, {"content", jsonContent(ref("SuccessEnvelope"))}}
                                 : json{{"description", "Success (the result itself, not enveloped)"},
                                        {"content", jsonContent(json::object())}};
    json result = {{"200", std::move(ok)}};
    const std::pair<const char*, const char*> failures[] = {
        {"400", "Invalid arguments or request body"}, {"404", "Not found"}, {"500", "Internal error"}};
    for (const auto& [status, description] : failures)
        result[status] = {{"description", description}, {"content", jsonContent(ref("ErrorEnvelope"))}};
    return result;
}

json operation(const Route& route) {
    const CommandDecl& decl = route.command->decl();
    const std::string plugin = decl.plugin_id.empty() ? std::string("host") : decl.plugin_id;
    json op = {{"operationId", plugin + "." + decl.id}, {"summary", decl.summary}, {"tags", json::array({plugin})}};
    if (!decl.description.empty()) op["description"] = decl.description;

    const json schema = httpArgsSchema(decl.args);
    const json properties = schema.value("properties", json::object());
    std::set<std::string> required;
    for (const json& name : schema.value("required", json::array()))
        if (name.is_string()) required.insert(name.get<std::string>());
    std::set<std::string> path_names;
    for (const RouteSegment& segment : route.segments)
        if (segment.is_param) path_names.insert(segment.text);

    json parameters = json::array();
    for (const std::string& name : path_names)
        parameters.push_back({{"name", name},
                              {"in", "path"},
                              {"required", true},
                              {"schema", openApiSchema(properties.value(name, json{{"type", "string"}}))}});
    json body_properties = json::object();
    json body_required = json::array();
    for (const auto& [name, property] : properties.items()) {
        if (path_names.count(name) != 0) continue;
        if (takesBody(route.method)) {
            body_properties[name] = openApiSchema(property);
            if (required.count(name) != 0) body_required.push_back(name);
            continue;
        }
        json parameter = {{"name", name},
                          {"in", "query"},
                          {"required", required.count(name) != 0},
                          {"schema", openApiSchema(property)}};
        if (property.contains("description")) parameter["description"] = property["description"];
        parameters.push_back(std::move(parameter));
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);
    if (takesBody(route.method)) {
        json body_schema = {{"type", "object"}, {"properties", std::move(body_properties)}};
        if (!body_required.empty()) body_schema["required"] = body_required;
        op["requestBody"] = {{"required", !body_required.empty()}, {"content", jsonContent(std::move(body_schema))}};
    }
    op["responses"] = responses(decl);
    return op;
}

}  // namespace

json openApiSchema(const json& schema) {
    if (!schema.is_object()) return schema;
    json cleaned = json::object();
    for (const auto& [key, value] : schema.items()) {
        if (key.rfind("x-", 0) == 0) continue;
        if (key == "examples") {
            if (value.is_array() && !value.empty()) cleaned["example"] = value.front();
        } else if (key == "items") {
            cleaned[key] = openApiSchema(value);
        } else if (key == "properties" && value.is_object()) {
            json properties = json::object();
            for (const auto& [name, property] : value.items()) properties[name] = openApiSchema(property);
            cleaned[key] = std::move(properties);
        } else {
            cleaned[key] = value;
        }
    }
    return cleaned;
}

json buildOpenApi(const std::vector<Route>& routes, const std::string& version) {
    json paths = json::object();
    for (const Route& route : routes) paths[route.path_template][lower(route.method)] = operation(route);
    return {{"openapi", "3.0.3"},
            {"info",
             {{"title", "clipdex"},
              {"version", version.empty() ? std::string("0.0.0") : version},
              {"description", "Generated from the command declarations of the loaded plugins."}}},
            {"paths", std::move(paths)},
            {"components", components()}};
}

}  // namespace clipdex::http
