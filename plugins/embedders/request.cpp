#include "request.hpp"

#include <cmath>
#include <cstdlib>

namespace embedders {
namespace {

clipdex::Error badRequest(std::string_view provider, const std::string& why) {
    return clipdex::Error(CDX_E_INVALID_ARGUMENT, "embedding provider '" + std::string(provider) + "': " + why);
}

clipdex::Error badConfig(const std::string& key, const std::string& why) {
    return clipdex::Error(CDX_E_INVALID_ARGUMENT,
                          "config plugins.clipdex.embedders." + key + " " + why + "; fix the config file",
                          json{{"key", key}});
}

}  // namespace

EmbedRequest parseRequest(const json& request, std::string_view provider) {
    if (!request.is_object()) throw badRequest(provider, "the request must be a JSON object");
    EmbedRequest parsed;
    parsed.kind = request.value("kind", std::string("text"));
    if (parsed.kind != "text" && parsed.kind != "image")
        throw badRequest(provider, "\"kind\" must be \"text\" or \"image\", not \"" + parsed.kind + "\"");
    parsed.purpose = request.value("purpose", std::string("document"));
    if (parsed.purpose != "document" && parsed.purpose != "query")
        throw badRequest(provider, "\"purpose\" must be \"document\" or \"query\", not \"" + parsed.purpose + "\"");
    const auto inputs = request.find("inputs");
    if (inputs == request.end() || !inputs->is_array())
        throw badRequest(provider, "\"inputs\" must be an array of strings");
    parsed.inputs.reserve(inputs->size());
    for (size_t i = 0; i < inputs->size(); ++i) {
        if (!(*inputs)[i].is_string())
            throw badRequest(provider, "\"inputs\"[" + std::to_string(i) + "] is not a string");
        parsed.inputs.push_back((*inputs)[i].get<std::string>());
    }
    return parsed;
}

void requireKind(const EmbedRequest& request, std::string_view provider, std::string_view kind) {
    if (request.kind != kind)
        throw badRequest(provider, "embeds only \"" + std::string(kind) + "\" inputs, not \"" + request.kind + "\"");
}

json answer(const std::string& model, size_t dimension, const std::vector<std::vector<float>>& vectors) {
    json out{{"model", model}, {"dimension", dimension}, {"vectors", json::array()}};
    json& list = out["vectors"];
    for (const auto& vector : vectors) list.push_back(vector);
    return out;
}

std::string configString(const clipdex::Host& host, const std::string& key, const std::string& fallback) {
    const json value = host.config(key);
    if (value.is_null()) return fallback;
    if (!value.is_string()) throw badConfig(key, "must be a string");
    return value.get<std::string>();
}

int64_t configInt(const clipdex::Host& host, const std::string& key, int64_t fallback, int64_t min, int64_t max) {
    const json value = host.config(key);
    if (value.is_null()) return fallback;
    if (!value.is_number_integer()) throw badConfig(key, "must be an integer");
    const int64_t number = value.get<int64_t>();
    if (number < min || number > max)
        throw badConfig(key, "is " + std::to_string(number) + "; it must be between " + std::to_string(min) + " and " +
                                 std::to_string(max));
    return number;
}

bool configBool(const clipdex::Host& host, const std::string& key, bool fallback) {
    const json value = host.config(key);
    if (value.is_null()) return fallback;
    if (!value.is_boolean()) throw badConfig(key, "must be true or false");
    return value.get<bool>();
}

std::string envString(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

void l2Normalise(std::vector<double>& vector) {
    double sum = 0;
    for (const double x : vector) sum += x * x;
    if (sum <= 0) return;
    const double scale = 1.0 / std::sqrt(sum);
    for (double& x : vector) x *= scale;
}

}  // namespace embedders
