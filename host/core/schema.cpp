#include "core/schema.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace clipdex::schema {
namespace {

const std::set<std::string> kPropertyKeys = {
    "type",      "description", "default",   "enum",           "minimum",          "maximum",     "minLength",
    "maxLength", "items",       "title",     "examples",       "x-cli-positional", "x-cli-short", "x-cli-name",
    "x-prompt",  "x-hidden",    "x-confirm", "x-enum-aliases", "x-http-only",      "x-cli-only",  "x-http-aliases"};
const std::set<std::string> kTypes = {"string", "integer", "number", "boolean", "array"};

std::string quoted(const json& value) {
    return value.is_string() ? "\"" + value.get<std::string>() + "\"" : dumpJson(value);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

[[noreturn]] void fail(const std::string& name, const std::string& message) {
    throw ValidationError(name, "'" + name + "' " + message);
}

template <class Number>
bool parseNumber(const std::string& text, Number& out) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    if (begin != end && *begin == '+') ++begin;
    const auto [ptr, error] = std::from_chars(begin, end, out);
    return error == std::errc() && ptr == end && begin != end;
}

void checkRange(const json& property, const std::string& name, const json& value) {
    const double number = value.get<double>();
    if (property.contains("minimum") && number < property["minimum"].get<double>())
        fail(name, "must be at least " + dumpJson(property["minimum"]) + " (got " + dumpJson(value) + ")");
    if (property.contains("maximum") && number > property["maximum"].get<double>())
        fail(name, "must be at most " + dumpJson(property["maximum"]) + " (got " + dumpJson(value) + ")");
}

json coerceScalar(const json& property, const std::string& type, const std::string& name, const json& value,
                  Origin origin) {
    const bool text = origin == Origin::Text && value.is_string();
    if (type == "string") {
        if (!value.is_string()) fail(name, "must be a string (got " + quoted(value) + ")");
        std::string result = value.get<std::string>();
        if (property.contains("x-enum-aliases") && property["x-enum-aliases"].contains(result))
            result = property["x-enum-aliases"][result].get<std::string>();
        if (property.contains("minLength") && result.size() < property["minLength"].get<size_t>())
            fail(name, "must be at least " + dumpJson(property["minLength"]) + " characters long");
        if (property.contains("maxLength") && result.size() > property["maxLength"].get<size_t>())
            fail(name, "must be at most " + dumpJson(property["maxLength"]) + " characters long");
        return result;
    }
    if (type == "integer") {
        std::int64_t number = 0;
        if (value.is_number_integer()) {
            number = value.get<std::int64_t>();
        } else if (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>()) {
            number = static_cast<std::int64_t>(value.get<double>());
        } else if (!(text && parseNumber(value.get<std::string>(), number))) {
            fail(name, "must be an integer (got " + quoted(value) + ")");
        }
        checkRange(property, name, json(number));
        return number;
    }
    if (type == "number") {
        double number = 0;
        if (value.is_number()) {
            number = value.get<double>();
        } else if (!(text && parseNumber(value.get<std::string>(), number) && std::isfinite(number))) {
            fail(name, "must be a number (got " + quoted(value) + ")");
        }
        checkRange(property, name, json(number));
        return number;
    }
    if (type == "boolean") {
        if (value.is_boolean()) return value;
        if (text) {
            const std::string word = lower(value.get<std::string>());
            if (word == "true" || word == "1" || word == "yes" || word == "on") return true;
            if (word == "false" || word == "0" || word == "no" || word == "off") return false;
        }
        fail(name, "must be true or false (got " + quoted(value) + ")");
    }
    fail(name, "has an unsupported type '" + type + "' in its schema");
}

void checkEnum(const json& property, const std::string& name, const json& value) {
    if (!property.contains("enum")) return;
    const json& choices = property["enum"];
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return;
    std::string list;
    for (const json& choice : choices)
        list += (list.empty() ? "" : ", ") + (choice.is_string() ? choice.get<std::string>() : dumpJson(choice));
    fail(name, "must be one of: " + list + " (got " + quoted(value) + ")");
}

json coerce(const json& property, const std::string& name, const json& value, Origin origin) {
    const std::string type = propertyType(property);
    if (type != "array") {
        json result = coerceScalar(property, type, name, value, origin);
        checkEnum(property, name, result);
        return result;
    }
    // Arrays accept a JSON array, and from text also comma lists and repeated options ("a,b" "c").
    json items = json::array();
    auto add = [&](const json& element) {
        if (origin == Origin::Text && element.is_string()) {
            const std::string text = element.get<std::string>();
            size_t start = 0;
            while (start <= text.size()) {
                const size_t comma = std::min(text.find(',', start), text.size());
                std::string part = text.substr(start, comma - start);
                part.erase(0, part.find_first_not_of(" \t"));
                part.erase(part.find_last_not_of(" \t") + 1);
                if (!part.empty()) items.push_back(part);
                start = comma + 1;
            }
        } else {
            items.push_back(element);
        }
    };
    if (value.is_array()) {
        for (const json& element : value) add(element);
    } else if (origin == Origin::Text && value.is_string()) {
        add(value);
    } else {
        fail(name, "must be a list (got " + quoted(value) + ")");
    }
    const json item_schema = property.value("items", json{{"type", "string"}});
    const std::string item_type = propertyType(item_schema);
    for (json& item : items) {
        item = coerceScalar(item_schema, item_type, name, item, origin);
        checkEnum(item_schema, name, item);
    }
    return items;
}

}  // namespace

std::string propertyType(const json& property) {
    if (!property.is_object() || !property.contains("type")) return "string";
    return property["type"].is_string() ? property["type"].get<std::string>() : "string";
}

json validateArgs(const json& schema, const json& input, Origin origin) {
    if (!input.is_object()) throw ValidationError("", "arguments must be a JSON object (got " + quoted(input) + ")");
    // Runs on every command call: look things up in place rather than copying the schema.
    static const json kNoProperties = json::object();
    const auto properties_it = schema.find("properties");
    const json& properties = properties_it != schema.end() ? *properties_it : kNoProperties;
    for (const auto& [key, value] : input.items()) {
        if (properties.contains(key)) continue;
        std::string known;
        for (const auto& [name, property] : properties.items()) known += (known.empty() ? "" : ", ") + name;
        throw ValidationError(key, "unknown argument '" + key + "'" +
                                       (known.empty() ? "; this command takes none" : "; known: " + known));
    }
    auto isRequired = [&schema](const std::string& name) {
        const auto required = schema.find("required");
        return required != schema.end() && std::find(required->begin(), required->end(), name) != required->end();
    };

    json result = json::object();
    for (const auto& [name, property] : properties.items()) {
        const auto found = input.find(name);
        const auto default_value = property.find("default");
        if (found != input.end() && !found->is_null()) {
            result[name] = coerce(property, name, *found, origin);
        } else if (default_value != property.end() && !default_value->is_null()) {
            result[name] = *default_value;
        } else if (isRequired(name)) {
            throw ValidationError(name, "missing required argument '" + name + "'");
        }
    }
    return result;
}

namespace {

void checkProperty(const std::string& name, const json& property, const std::string& here, bool is_item) {
    auto bad = [&](const std::string& message) { throw std::invalid_argument(here + ": " + message); };
    if (!property.is_object()) bad("must be an object");
    for (const auto& [key, value] : property.items())
        if (kPropertyKeys.count(key) == 0) bad("unsupported keyword \"" + key + "\"");
    const std::string type = propertyType(property);
    if (kTypes.count(type) == 0 || (is_item && type == "array"))
        bad(is_item ? "items must be string, integer, number or boolean"
                    : "type must be one of string, integer, number, boolean, array");
    for (const char* key : {"minimum", "maximum"})
        if (property.contains(key) && !property[key].is_number()) bad(std::string(key) + " must be a number");
    for (const char* key : {"minLength", "maxLength", "x-cli-positional"})
        if (property.contains(key) && !property[key].is_number_unsigned())
            bad(std::string(key) + " must be a non-negative integer");
    for (const char* key : {"x-hidden", "x-confirm", "x-http-only", "x-cli-only"})
        if (property.contains(key) && !property[key].is_boolean()) bad(std::string(key) + " must be true or false");
    for (const char* key : {"description", "title", "x-prompt", "x-cli-name"})
        if (property.contains(key) && !property[key].is_string()) bad(std::string(key) + " must be a string");
    if (property.contains("x-cli-short") &&
        !(property["x-cli-short"].is_string() && property["x-cli-short"].get<std::string>().size() == 1))
        bad("x-cli-short must be a single character");
    if (property.contains("x-enum-aliases")) {
        const json& aliases = property["x-enum-aliases"];
        if (!aliases.is_object()) bad("x-enum-aliases must map alias names to values");
        for (const auto& [alias, target] : aliases.items())
            if (!target.is_string()) bad("x-enum-aliases." + alias + " must be a string");
    }
    if (type == "array") {
        checkProperty(name, property.value("items", json{{"type", "string"}}), here + ".items", true);
    } else if (property.contains("enum")) {
        if (!property["enum"].is_array() || property["enum"].empty()) bad("enum must be a non-empty array");
        for (const json& choice : property["enum"]) {
            try {
                coerceScalar(property, type, name, choice, Origin::Json);
            } catch (const ValidationError& error) {
                bad(std::string("enum: ") + error.what());
            }
        }
    }
    if (property.contains("default") && !property["default"].is_null()) {
        try {
            coerce(property, name, property["default"], Origin::Json);
        } catch (const ValidationError& error) {
            bad(std::string("default: ") + error.what());
        }
    }
}

}  // namespace

void checkProfile(const json& schema, const std::string& where) {
    auto bad = [&](const std::string& message) { throw std::invalid_argument(where + ": " + message); };
    if (!schema.is_object()) bad("must be a JSON object");
    if (schema.contains("type") && schema["type"] != "object") bad("\"type\" must be \"object\"");
    const json properties = schema.value("properties", json::object());
    if (!properties.is_object()) bad("\"properties\" must be an object");
    for (const auto& [name, property] : properties.items()) {
        if (name.empty() || name.find_first_of(" /{}=") != std::string::npos)
            bad("properties." + name + ": argument names may not be empty or contain spaces, '/', '{', '}' or '='");
        checkProperty(name, property, where + ".properties." + name, false);
    }
    // x-http-aliases: other names a request may use for an argument (the legacy panel's "query" for "q").
    std::set<std::string> taken;
    for (const auto& [name, property] : properties.items()) taken.insert(name);
    for (const auto& [name, property] : properties.items()) {
        if (!property.contains("x-http-aliases")) continue;
        const json& aliases = property["x-http-aliases"];
        if (!aliases.is_array()) bad("properties." + name + ".x-http-aliases must be an array of names");
        for (const json& alias : aliases) {
            if (!alias.is_string() || alias.get<std::string>().empty())
                bad("properties." + name + ".x-http-aliases must hold non-empty strings");
            if (!taken.insert(alias.get<std::string>()).second)
                bad("properties." + name + ".x-http-aliases: \"" + alias.get<std::string>() +
                    "\" is already an argument or another alias");
        }
    }
    if (schema.contains("required")) {
        if (!schema["required"].is_array()) bad("\"required\" must be an array of names");
        for (const json& name : schema["required"])
            if (!name.is_string() || !properties.contains(name.get<std::string>()))
                bad("\"required\" names an undeclared argument " + quoted(name));
    }
}

}  // namespace clipdex::schema
