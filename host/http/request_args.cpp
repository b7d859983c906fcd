#include "http/request_args.hpp"

#include <map>
#include <set>

#include "core/schema.hpp"

namespace clipdex::http {
namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text, bool plus_is_space) {
    std::string decoded;
    decoded.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int high = hexValue(text[i + 1]);
            const int low = hexValue(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            decoded.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            decoded.push_back(' ');
        } else {
            decoded.push_back(c);
        }
    }
    return decoded;
}

std::optional<RequestTarget> splitTarget(std::string_view target) {
    // Absolute-form targets ("http://host/path") are legal HTTP/1.1; keep only the path and query.
    if (!target.empty() && target.front() != '/') {
        const size_t scheme = target.find("://");
        if (scheme == std::string_view::npos) return std::nullopt;
        const size_t slash = target.find('/', scheme + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    const size_t hash = target.find('#');
    if (hash != std::string_view::npos) target = target.substr(0, hash);
    RequestTarget result;
    const size_t question = target.find('?');
    result.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) result.raw_query = std::string(target.substr(question + 1));
    // Segments are split before decoding so an encoded "%2F" stays inside its segment (an id may contain '/').
    size_t start = 0;
    while (start <= result.path.size()) {
        const size_t slash = std::min(result.path.find('/', start), result.path.size());
        const std::string_view raw = std::string_view(result.path).substr(start, slash - start);
        start = slash + 1;
        if (raw.empty()) continue;
        auto decoded = percentDecode(raw, false);
        if (!decoded) return std::nullopt;
        result.segments.push_back(std::move(*decoded));
    }
    return result;
}

std::optional<QueryPairs> parseQuery(std::string_view raw_query) {
    QueryPairs pairs;
    size_t start = 0;
    while (start <= raw_query.size()) {
        const size_t amp = std::min(raw_query.find('&', start), raw_query.size());
        const std::string_view item = raw_query.substr(start, amp - start);
        start = amp + 1;
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        auto key = percentDecode(item.substr(0, equals), true);
        auto value =
            percentDecode(equals == std::string_view::npos ? std::string_view() : item.substr(equals + 1), true);
        if (!key || !value) return std::nullopt;
        if (key->empty()) continue;
        pairs.emplace_back(std::move(*key), std::move(*value));
    }
    return pairs;
}

json httpArgsSchema(const json& args_schema) {
    json schema = args_schema.is_object() ? args_schema : json::object();
    if (!schema.contains("properties") || !schema["properties"].is_object()) return schema;
    std::set<std::string> dropped;
    for (const auto& [name, property] : schema["properties"].items())
        if (property.is_object() && property.value("x-cli-only", false) == true) dropped.insert(name);
    for (const std::string& name : dropped) schema["properties"].erase(name);
    if (schema.contains("required") && schema["required"].is_array()) {
        json required = json::array();
        for (const json& name : schema["required"])
            if (!name.is_string() || dropped.count(name.get<std::string>()) == 0) required.push_back(name);
        schema["required"] = std::move(required);
    }
    return schema;
}

namespace {

/// alias -> argument name, from the properties' x-http-aliases.
std::map<std::string, std::string> aliasMap(const json& schema) {
    std::map<std::string, std::string> aliases;
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, property] : properties.items())
        if (property.is_object() && property.contains("x-http-aliases") && property["x-http-aliases"].is_array())
            for (const json& alias : property["x-http-aliases"])
                if (alias.is_string()) aliases[alias.get<std::string>()] = name;
    return aliases;
}

}  // namespace

json mergeArgs(const json& schema, const std::map<std::string, std::string>& path_params, const QueryPairs& raw_query,
               const json& raw_body) {
    // An alias counts as its argument; the argument's own name wins when a request sends both.
    const auto aliases = aliasMap(schema);
    QueryPairs query;
    std::set<std::string> named;
    for (const auto& [key, value] : raw_query)
        if (aliases.count(key) == 0) named.insert(key);
    for (const auto& [key, value] : raw_query) {
        const auto alias = aliases.find(key);
        if (alias == aliases.end()) {
            query.emplace_back(key, value);
        } else if (named.count(alias->second) == 0) {
            query.emplace_back(alias->second, value);
        }
    }
    json body = raw_body;
    if (body.is_object() && !aliases.empty()) {
        json renamed = json::object();
        for (const auto& [key, value] : raw_body.items()) {
            const auto alias = aliases.find(key);
            if (alias == aliases.end()) renamed[key] = value;
        }
        for (const auto& [key, value] : raw_body.items()) {
            const auto alias = aliases.find(key);
            if (alias != aliases.end() && !renamed.contains(alias->second)) renamed[alias->second] = value;
        }
        body = std::move(renamed);
    }

    json merged = json::object();
    std::set<std::string> text_keys;  // keys whose winning value came from the path or the query string
    for (const auto& [key, value] : query) {
        auto found = merged.find(key);
        if (found == merged.end()) {
            merged[key] = value;
        } else {
            if (!found->is_array()) *found = json::array({*found});
            found->push_back(value);
        }
        text_keys.insert(key);
    }
    if (body.is_object()) {
        for (const auto& [key, value] : body.items()) {
            merged[key] = value;
            text_keys.erase(key);
        }
    }
    for (const auto& [key, value] : path_params) {
        merged[key] = value;
        text_keys.insert(key);
    }

    // Coerce the text-sourced values first, each against its own declaration and nothing else (no
    // "required", and every listed property is present, so no defaults sneak in). The final pass then
    // sees typed values from every source and checks the body strictly, reports unknown arguments
    // against the full list and fills defaults.
    const json properties = schema.value("properties", json::object());
    json text_schema = {{"type", "object"}, {"properties", json::object()}};
    json text_input = json::object();
    for (const std::string& key : text_keys) {
        if (!properties.contains(key)) continue;  // left raw: the final pass names it as unknown
        text_schema["properties"][key] = properties[key];
        text_input[key] = merged[key];
    }
    const json coerced = schema::validateArgs(text_schema, text_input, schema::Origin::Text);
    for (const auto& [key, value] : coerced.items()) merged[key] = value;
    return schema::validateArgs(schema, merged, schema::Origin::Json);
}

}  // namespace clipdex::http
