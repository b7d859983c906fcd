// The argument-schema profile shared by the CLI and HTTP routers: a small subset of JSON Schema
// (type, enum, default, minimum, maximum, minLength, maxLength, items) plus x-cli-* and x-prompt hints.
// No C++ JSON Schema validator is packaged for Debian 12, so this file is that subset (docs/adr/0005).
#pragma once

#include <stdexcept>
#include <string>

#include "core/json.hpp"

namespace clipdex::schema {

/// How argument values arrive: typed JSON (HTTP body), or text to coerce (CLI, query string, path).
enum class Origin { Json, Text };

/// A bad argument. field() is the argument's name; what() is a sentence naming it and what to do.
class ValidationError : public std::runtime_error {
public:
    ValidationError(std::string field, const std::string& message)
        : std::runtime_error(message), field_(std::move(field)) {}
    const std::string& field() const noexcept { return field_; }

private:
    std::string field_;
};

/// Validates an arguments object against an object schema. Returns it with text coerced to the declared
/// types, enum aliases resolved and defaults filled. Unknown arguments are errors. Throws ValidationError.
json validateArgs(const json& schema, const json& input, Origin origin);

/// Checks that a schema stays inside the profile. Throws std::invalid_argument naming `where`.
void checkProfile(const json& schema, const std::string& where);

/// The declared type of a property ("string", "integer", "number", "boolean", "array").
std::string propertyType(const json& property);

}  // namespace clipdex::schema
