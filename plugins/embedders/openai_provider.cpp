#include "openai_provider.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "openai_http.hpp"
#include "request.hpp"

namespace embedders {
namespace {

using clipdex::Error;
using clipdex::json;

// The base URL without user info, for messages.
std::string serverName(const std::string& base_url) {
    try {
        Poco::URI uri(base_url);
        uri.setUserInfo("");
        return uri.toString();
    } catch (...) {
        return base_url;
    }
}

std::string endpoint(const std::string& base_url) {
    std::string url = base_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url + "/embeddings";
}

// The server's own explanation: {"error": {"message"}}, {"error": "..."}, {"detail": ...} or raw text.
std::string serverMessage(const std::string& body) {
    const json parsed = json::parse(body, nullptr, false);
    if (parsed.is_object()) {
        if (parsed.contains("error")) {
            const json& error = parsed["error"];
            if (error.is_object() && error.contains("message") && error["message"].is_string())
                return error["message"].get<std::string>();
            if (error.is_string()) return error.get<std::string>();
        }
        if (parsed.contains("detail"))
            return parsed["detail"].is_string() ? parsed["detail"].get<std::string>() : parsed["detail"].dump();
    }
    std::string text = body.substr(0, 300);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text.empty() ? "(empty body)" : text;
}

// Sleeps `ms`, waking every 50 ms to honour cancellation.
void pause(int ms, const clipdex::Context& ctx) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < until) {
        ctx.throwIfCancelled();
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(50), until - std::chrono::steady_clock::now()));
    }
}

[[noreturn]] void failFor(const HttpAnswer& answer, const std::string& server, const std::string& model) {
    const std::string what = "openai embeddings: " + server + " answered HTTP " + std::to_string(answer.status) + ": " +
                             serverMessage(answer.body);
    const json details{{"server", server}, {"http_status", answer.status}};
    switch (answer.status) {
        case 401: throw Error(CDX_E_UNAUTHENTICATED, what + "; check CLIPDEX_OPENAI_API_KEY", details);
        case 403: throw Error(CDX_E_PERMISSION, what + "; check CLIPDEX_OPENAI_API_KEY", details);
        case 404:
            throw Error(CDX_E_NOT_FOUND,
                        what + "; check the base URL (it usually ends in /v1) and the model '" + model + "'", details);
        case 408:
        case 504: throw Error(CDX_E_TIMEOUT, what, details);
        case 429: throw Error(CDX_E_UNAVAILABLE, what + "; rate limited, try again later", details);
        default:
            if (answer.status >= 500) throw Error(CDX_E_UNAVAILABLE, what, details);
            throw Error(CDX_E_INVALID_ARGUMENT, what + "; check the model '" + model + "' and dimensions", details);
    }
}

bool retryable(const HttpAnswer& answer) {
    return answer.status == 0 || answer.status == 408 || answer.status == 429 || answer.status >= 500;
}

// One batch: POST with retries, then the answer's vectors ordered by "index".
std::vector<std::vector<float>> embedBatch(const OpenAiSettings& settings, const std::string& server,
                                           const std::vector<std::string>& batch, const clipdex::Context& ctx) {
    json body{{"model", settings.model}, {"input", batch}, {"encoding_format", "float"}};
    if (settings.dimensions > 0) body["dimensions"] = settings.dimensions;
    const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);

    HttpAnswer answer;
    for (int attempt = 0;; ++attempt) {
        ctx.throwIfCancelled();
        answer = postJson(endpoint(settings.base_url), text, settings.api_key, settings.timeout_ms);
        if (answer.status == 200 || !retryable(answer) || attempt >= settings.max_retries) break;
        const double backoff = settings.retry_base_ms * std::pow(2.0, attempt);
        const double wait = answer.retry_after ? *answer.retry_after * 1000.0 : backoff;
        const int ms = static_cast<int>(std::min<double>(wait, settings.max_retry_wait_ms));
        ctx.warn("openai embeddings: " + server + " " +
                 (answer.status == 0 ? answer.failure : "answered HTTP " + std::to_string(answer.status)) + "; retry " +
                 std::to_string(attempt + 1) + "/" + std::to_string(settings.max_retries) + " in " +
                 std::to_string(ms) + " ms");
        pause(ms, ctx);
    }
    const std::string tries = std::to_string(settings.max_retries + 1) + " attempt(s)";
    if (answer.status == 0)
        throw Error(answer.timed_out ? CDX_E_TIMEOUT : CDX_E_UNAVAILABLE,
                    "openai embeddings: cannot reach " + server + " after " + tries + ": " + answer.failure +
                        (answer.timed_out ? " (raise openai.timeout_ms for slow servers)" : ""),
                    json{{"server", server}});
    if (answer.status != 200) failFor(answer, server, settings.model);

    const auto invalid = [&](const std::string& why) {
        return Error(CDX_E_IO, "openai embeddings: " + server + " sent an invalid answer: " + why,
                     json{{"server", server}});
    };
    const json parsed = json::parse(answer.body, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("data") || !parsed["data"].is_array())
        throw invalid("expected a JSON object with a \"data\" array");
    const json& data = parsed["data"];
    if (data.size() != batch.size())
        throw invalid(std::to_string(data.size()) + " embeddings for " + std::to_string(batch.size()) + " inputs");
    std::vector<std::vector<float>> vectors(batch.size());
    std::vector<bool> seen(batch.size(), false);
    for (size_t i = 0; i < data.size(); ++i) {
        const json& item = data[i];
        const size_t index = item.is_object() && item.contains("index") && item["index"].is_number_unsigned()
                                 ? item["index"].get<size_t>()
                                 : i;
        if (index >= batch.size() || seen[index])
            throw invalid("duplicate or out-of-range \"index\" " + std::to_string(index));
        seen[index] = true;
        if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array())
            throw invalid("data[" + std::to_string(i) + "].embedding is not an array of numbers (base64 is not read)");
        std::vector<float>& vector = vectors[index];
        vector.reserve(item["embedding"].size());
        for (const json& x : item["embedding"]) {
            if (!x.is_number()) throw invalid("data[" + std::to_string(i) + "].embedding holds a non-number");
            vector.push_back(x.get<float>());
        }
        if (vector.empty()) throw invalid("data[" + std::to_string(i) + "].embedding is empty");
    }
    return vectors;
}

}  // namespace

std::string OpenAiSettings::modelId() const {
    return "openai:" + model + (dimensions > 0 ? "@" + std::to_string(dimensions) : "");
}

OpenAiSettings openAiSettings(const clipdex::Host& host) {
    OpenAiSettings s;
    s.base_url = configString(host, "openai.base_url", "");
    s.model = configString(host, "openai.model", s.model);
    s.api_key = configString(host, "openai.api_key", "");
    s.dimensions = static_cast<int>(configInt(host, "openai.dimensions", 0, 0, 65536));
    s.batch_size = static_cast<int>(configInt(host, "openai.batch_size", s.batch_size, 1, 4096));
    s.timeout_ms = static_cast<int>(configInt(host, "openai.timeout_ms", s.timeout_ms, 1, 3600000));
    s.max_retries = static_cast<int>(configInt(host, "openai.max_retries", s.max_retries, 0, 20));
    s.retry_base_ms = static_cast<int>(configInt(host, "openai.retry_base_ms", s.retry_base_ms, 0, 60000));
    if (const std::string env = envString("CLIPDEX_OPENAI_BASE_URL"); !env.empty()) s.base_url = env;
    if (const std::string env = envString("CLIPDEX_OPENAI_MODEL"); !env.empty()) s.model = env;
    if (const std::string env = envString("CLIPDEX_OPENAI_API_KEY"); !env.empty())
        s.api_key = env;
    else if (s.api_key.empty())
        s.api_key = envString("OPENAI_API_KEY");
    return s;
}

OpenAiResult embedOpenAi(const OpenAiSettings& settings, const std::vector<std::string>& inputs,
                         const clipdex::Context& ctx) {
    if (settings.base_url.empty())
        throw Error(CDX_E_UNAVAILABLE,
                    "openai embeddings: no base URL configured; set CLIPDEX_OPENAI_BASE_URL or "
                    "plugins.clipdex.embedders.openai.base_url");
    if (settings.model.empty())
        throw Error(CDX_E_UNAVAILABLE,
                    "openai embeddings: no model configured; set CLIPDEX_OPENAI_MODEL or "
                    "plugins.clipdex.embedders.openai.model");
    const std::string server = serverName(settings.base_url);
    OpenAiResult result;
    result.model = settings.modelId();
    result.dimension = settings.dimensions > 0 ? static_cast<size_t>(settings.dimensions) : 0;
    const size_t batch_size = static_cast<size_t>(settings.batch_size);
    for (size_t start = 0; start < inputs.size(); start += batch_size) {
        const std::vector<std::string> batch(
            inputs.begin() + static_cast<std::ptrdiff_t>(start),
            inputs.begin() + static_cast<std::ptrdiff_t>(std::min(inputs.size(), start + batch_size)));
        ctx.debug("openai embeddings: " + std::to_string(batch.size()) + " input(s) to " + server + " model " +
                  settings.model);
        for (auto& vector : embedBatch(settings, server, batch, ctx)) {
            if (result.dimension == 0) result.dimension = vector.size();
            if (vector.size() != result.dimension)
                throw Error(CDX_E_IO,
                            "openai embeddings: " + server + " sent vectors of " + std::to_string(vector.size()) +
                                " dimensions, expected " + std::to_string(result.dimension) +
                                (settings.dimensions > 0 ? " (openai.dimensions); does the model support it?" : ""),
                            json{{"server", server}});
            result.vectors.push_back(std::move(vector));
        }
        ctx.progress(static_cast<double>(std::min(inputs.size(), start + batch_size)) / inputs.size());
    }
    return result;
}

}  // namespace embedders
