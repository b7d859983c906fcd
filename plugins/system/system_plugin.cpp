// The `system` plugin: version information and the step catalogue. Built only through the SDK.
#include <clipdex/plugin.hpp>
#include <string>

namespace {

using clipdex::json;

class SystemPlugin final : public clipdex::Plugin {
public:
    using Plugin::Plugin;

    json invoke(std::string_view command_id, const json& args, clipdex::Context& ctx) override {
        (void)args;
        (void)ctx;
        if (command_id == "version") return version();
        if (command_id == "list-steps") return listSteps();
        return Plugin::invoke(command_id, args, ctx);
    }

private:
    json version() const {
        return json{{"name", "clipdex"},
                    {"version", std::string(host().hostVersion())},
                    {"abi", std::to_string(CDX_ABI_MAJOR) + "." + std::to_string(CDX_ABI_MINOR)}};
    }

    // Same shape as the original tool's SystemCommand.list_steps: steps, categories (in first-appearance
    // order), total_steps. Steps come from every loaded plugin through the registry service.
    json listSteps() const {
        json steps = json::array();
        json categories = json::object();
        std::vector<std::string> category_order;
        for (const json& step : host().registry("steps")) {
            const std::string category = step.value("category", "Processing");
            const bool enabled = step.value("enabled_by_default", true);
            steps.push_back(json{{"id", step.at("name")},
                                 {"name", step.at("name")},
                                 {"category", category},
                                 {"enabled", enabled},
                                 {"enabled_by_default", enabled},
                                 {"description", step.value("description", "")},
                                 {"plugin", step.value("plugin", "")},
                                 {"depends_on", step.value("depends_on", json::array())}});
            if (!categories.contains(category)) {
                categories[category] = json::array();
                category_order.push_back(category);
            }
            categories[category].push_back(step.at("name"));
        }
        return json{{"steps", steps},
                    {"categories", categories},
                    {"category_order", category_order},
                    {"total_steps", steps.size()}};
    }
};

}  // namespace

CLIPDEX_PLUGIN(SystemPlugin)
