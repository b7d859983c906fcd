// hello-clipdex: a command (`clipdex hello greet NAME [--shout]`, GET /api/hello/{name}) and a pipeline
// step (example_word_count). The manifest, plugin.json, declares both; this file implements them.
#include <algorithm>
#include <cctype>
#include <clipdex/plugin.hpp>
#include <memory>
#include <sstream>
#include <string>

namespace {

using clipdex::json;

/// One instance per pipeline run; the host never calls run() concurrently on the same instance.
class WordCountStep final : public clipdex::Step {
public:
    explicit WordCountStep(const json& config) : min_length_(config.value("min_length", std::size_t{1})) {}

    json run(const json& inputs, clipdex::Context& ctx) override {
        std::istringstream words(inputs.value("transcript", std::string()));
        std::size_t count = 0;
        for (std::string word; words >> word;) {
            ctx.throwIfCancelled();  // long work polls for Ctrl-C, a closed client or a deadline
            if (word.size() >= min_length_) ++count;
        }
        return json{{"word_count", count}};
    }

private:
    std::size_t min_length_;
};

class HelloPlugin final : public clipdex::Plugin {
public:
    using Plugin::Plugin;

    // args were validated against the manifest's schema and defaults filled in: "shout" is always there.
    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        if (command_id != "greet") return Plugin::invoke(command_id, args, ctx);
        const std::string name = args.at("name").get<std::string>();
        std::string greeting = "Hello, " + name + "!";
        if (args.value("shout", false))
            std::transform(greeting.begin(), greeting.end(), greeting.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        ctx.debug("greeted " + name);
        return json{{"greeting", greeting}, {"name", name}};
    }

    std::unique_ptr<clipdex::Step> createStep(std::string_view step_id, const json& config,
                                              clipdex::Context& ctx) override {
        if (step_id == "example_word_count") return std::make_unique<WordCountStep>(config);
        return Plugin::createStep(step_id, config, ctx);  // throws Error(CDX_E_UNSUPPORTED)
    }
};

}  // namespace

CLIPDEX_PLUGIN(HelloPlugin)
