// openai: any server speaking the OpenAI embeddings API (POST {base_url}/embeddings): OpenAI, Ollama,
// llama.cpp server, vLLM, DeepInfra, ... Batches, retries with exponential backoff, maps HTTP errors
// to clipdex statuses. The API key is sent only as a Bearer header and never logged.
#pragma once

#include <clipdex/plugin.hpp>
#include <string>
#include <vector>

namespace embedders {

struct OpenAiSettings {
    std::string base_url;  // e.g. http://localhost:11434/v1
    std::string model = "BAAI/bge-m3";
    std::string api_key;
    int dimensions = 0;  // 0: the model's own size, "dimensions" not sent
    int batch_size = 64;
    int timeout_ms = 30000;
    int max_retries = 3;
    int retry_base_ms = 500;        // first backoff; doubles per retry
    int max_retry_wait_ms = 30000;  // cap for backoff and Retry-After

    /// "openai:<model>" or "openai:<model>@<dimensions>".
    std::string modelId() const;
};

/// Plugin config (openai.*) overridden by CLIPDEX_OPENAI_BASE_URL, CLIPDEX_OPENAI_MODEL,
/// CLIPDEX_OPENAI_API_KEY (then OPENAI_API_KEY).
OpenAiSettings openAiSettings(const clipdex::Host& host);

struct OpenAiResult {
    std::string model;  // OpenAiSettings::modelId()
    size_t dimension = 0;
    std::vector<std::vector<float>> vectors;
};

/// Embeds `inputs` in order. Throws clipdex::Error with a status and a message naming the server.
OpenAiResult embedOpenAi(const OpenAiSettings& settings, const std::vector<std::string>& inputs,
                         const clipdex::Context& ctx);

}  // namespace embedders
