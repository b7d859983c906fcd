#include "cli/arg_spec.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/schema.hpp"

namespace clipdex::cli {
namespace {

std::string upper(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    return text;
}

std::string scalarLabel(const json& property) {
    if (property.contains("enum") && property["enum"].is_array()) {
        std::string choices;
        for (const json& choice : property["enum"]) choices += (choices.empty() ? "" : "|") + displayText(choice);
        return "[" + choices + "]";
    }
    const std::string type = schema::propertyType(property);
    if (type == "integer") return "INTEGER";
    if (type == "number") return "FLOAT";
    if (type == "boolean") return "BOOLEAN";
    return "TEXT";
}

}  // namespace

std::string displayText(const json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "";
    if (value.is_array()) {
        std::string text;
        for (const json& item : value) text += (text.empty() ? "" : ",") + displayText(item);
        return text;
    }
    return dumpJson(value);
}

std::string ArgSpec::spelling() const {
    return positional() ? upper(name) : "--" + long_name;
}

std::string ArgSpec::typeLabel() const {
    if (flag()) return "";
    if (type == "array") return scalarLabel(property.value("items", json::object())) + ",...";
    return scalarLabel(property);
}

std::string ArgSpec::helpText() const {
    std::string text = property.value("description", "");
    auto append = [&text](const std::string& note) { text += (text.empty() ? "" : " ") + note; };
    if (hasDefault() && !hidden()) {  // a hidden argument's default is as secret as its value
        const json& value = property["default"];
        if (flag()) {
            append(std::string("[default: ") + (value.get<bool>() ? "" : "no-") + long_name + "]");
        } else if (!(value.is_array() && value.empty()) && !(value.is_string() && value.get<std::string>().empty())) {
            append("[default: " + displayText(value) + "]");
        }
    }
    if (required && !hasDefault() && !positional()) append("[required]");
    return text;
}

std::vector<ArgSpec> cliArgs(const json& schema) {
    std::set<std::string> required;
    if (schema.contains("required") && schema["required"].is_array())
        for (const json& name : schema["required"])
            if (name.is_string()) required.insert(name.get<std::string>());

    std::vector<ArgSpec> specs;
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, property] : properties.items()) {
        if (!property.is_object() || property.value("x-http-only", false)) continue;
        ArgSpec spec;
        spec.name = name;
        spec.type = schema::propertyType(property);
        spec.property = property;
        spec.required = required.count(name) != 0;
        if (property.contains("x-cli-positional") && property["x-cli-positional"].is_number_unsigned())
            spec.position = property["x-cli-positional"].get<std::size_t>();
        if (property.contains("x-cli-name") && property["x-cli-name"].is_string()) {
            spec.long_name = property["x-cli-name"].get<std::string>();
            spec.long_name.erase(0, spec.long_name.find_first_not_of('-'));
        } else {
            spec.long_name = name;
            std::replace(spec.long_name.begin(), spec.long_name.end(), '_', '-');
        }
        if (property.contains("x-cli-short") && property["x-cli-short"].is_string())
            spec.short_name = property["x-cli-short"].get<std::string>();
        specs.push_back(std::move(spec));
    }
    // Positionals first in their declared order; options stay alphabetical (the schema object is sorted).
    std::stable_sort(specs.begin(), specs.end(), [](const ArgSpec& a, const ArgSpec& b) {
        if (a.positional() != b.positional()) return a.positional();
        return a.positional() && *a.position < *b.position;
    });
    return specs;
}

const ArgSpec* findArg(const std::vector<ArgSpec>& specs, std::string_view name) {
    const auto found = std::find_if(specs.begin(), specs.end(), [&](const ArgSpec& spec) { return spec.name == name; });
    return found == specs.end() ? nullptr : &*found;
}

std::string withCliSpelling(std::string message, const std::string& field, const std::vector<ArgSpec>& specs) {
    const ArgSpec* spec = findArg(specs, field);
    if (spec == nullptr || field.empty()) return message;
    const std::string from = "'" + field + "'";
    const std::string to = "'" + spec->spelling() + "'";
    for (std::size_t at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size()))
        message.replace(at, from.size(), to);
    return message;
}

}  // namespace clipdex::cli
