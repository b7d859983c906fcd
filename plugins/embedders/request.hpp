// The clipdex.embedder/1 request as the providers see it, and small config helpers.
#pragma once

#include <clipdex/plugin.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace embedders {

using clipdex::json;

struct EmbedRequest {
    std::string kind;     // "text" or "image"
    std::string purpose;  // "document" (default) or "query"
    std::vector<std::string> inputs;
};

/// Validates {"kind", "purpose", "inputs"}; `provider` names the provider in error messages.
EmbedRequest parseRequest(const json& request, std::string_view provider);

/// Fails with CDX_E_INVALID_ARGUMENT unless the request's kind is `kind`.
void requireKind(const EmbedRequest& request, std::string_view provider, std::string_view kind);

/// {"model", "dimension", "vectors"}.
json answer(const std::string& model, size_t dimension, const std::vector<std::vector<float>>& vectors);

/// Typed reads of this plugin's config section ("plugins" → "clipdex.embedders" in the config file).
/// A value of the wrong type or out of range is a CDX_E_INVALID_ARGUMENT naming the key.
std::string configString(const clipdex::Host& host, const std::string& key, const std::string& fallback);
int64_t configInt(const clipdex::Host& host, const std::string& key, int64_t fallback, int64_t min, int64_t max);
bool configBool(const clipdex::Host& host, const std::string& key, bool fallback);

/// The environment variable's value, or "" when unset or empty.
std::string envString(const char* name);

/// Scales `vector` to unit length; an all-zero vector stays zero.
void l2Normalise(std::vector<double>& vector);

}  // namespace embedders
