// Step selection and ordering: defaults, --config (both forms), forced switches, --disable, --enable;
// topological order, cycles, unknown names, step config validation.
#include <gtest/gtest.h>

#include "core/command.hpp"
#include "pipeline/step_graph.hpp"

namespace {

using clipdex::CommandError;
using clipdex::json;
using namespace clipdex::pipeline;

AvailableStep step(std::string id, std::vector<std::string> depends_on = {}, std::vector<std::string> after = {},
                   bool enabled = true) {
    AvailableStep available;
    available.decl.id = std::move(id);
    available.decl.depends_on = std::move(depends_on);
    available.decl.after = std::move(after);
    available.decl.enabled_by_default = enabled;
    return available;
}

std::vector<std::string> ids(const std::vector<PlannedStep>& planned) {
    std::vector<std::string> out;
    for (const PlannedStep& p : planned) out.push_back(p.decl.id);
    return out;
}

std::string planError(const std::vector<AvailableStep>& available, const StepChoice& choice) {
    try {
        planSteps(available, choice);
    } catch (const CommandError& error) {
        EXPECT_EQ(error.status(), CDX_E_INVALID_ARGUMENT);
        return error.what();
    }
    return "<no error>";
}

TEST(PipelineGraph, OrdersByDependsOnAndAfterKeepingDeclarationOrderOtherwise) {
    const std::vector<AvailableStep> available = {step("thumbs", {"meta"}, {"dup"}), step("meta", {"sum"}),
                                                  step("dup", {"sum"}), step("sum"), step("free")};
    EXPECT_EQ(ids(planSteps(available, {})), (std::vector<std::string>{"sum", "meta", "dup", "thumbs", "free"}));
}

TEST(PipelineGraph, ACycleIsAnErrorNamingTheCycle) {
    const std::vector<AvailableStep> available = {step("a", {"b"}), step("b", {}, {"c"}), step("c", {"a"}), step("d")};
    EXPECT_NE(planError(available, {}).find("a -> b -> c -> a"), std::string::npos) << planError(available, {});
    StepChoice without_c;
    without_c.disable = {"c"};
    EXPECT_EQ(ids(planSteps(available, without_c)), (std::vector<std::string>{"b", "a", "d"}));
}

TEST(PipelineGraph, PrecedenceIsDefaultsThenConfigThenForcedThenDisableThenEnable) {
    const std::vector<AvailableStep> available = {step("x"), step("y", {}, {}, false), step("z"),
                                                  step("w", {}, {}, false)};
    EXPECT_EQ(ids(planSteps(available, {})), (std::vector<std::string>{"x", "z"}));
    StepChoice choice;
    choice.config_file = json{{"steps", {{"y", {{"enabled", true}}}, {"x", {{"enabled", false}}}, {"w", true}}}};
    EXPECT_EQ(ids(planSteps(available, choice)), (std::vector<std::string>{"y", "z", "w"}));
    choice.forced = {{"z", false}, {"not_loaded", true}};
    EXPECT_EQ(ids(planSteps(available, choice)), (std::vector<std::string>{"y", "w"}));
    choice.disable = {"y", "x"};
    choice.enable = {"x", "z"};
    EXPECT_EQ(ids(planSteps(available, choice)), (std::vector<std::string>{"x", "z", "w"}));
}

TEST(PipelineGraph, AcceptsTheOriginalFlatConfigForm) {
    const std::vector<AvailableStep> available = {step("x"), step("y", {}, {}, false)};
    StepChoice choice;
    choice.config_file = json{{"x", false}, {"y", true}};
    EXPECT_EQ(ids(planSteps(available, choice)), (std::vector<std::string>{"y"}));
    choice.config_file = json{{"x", "yes"}};
    EXPECT_NE(planError(available, choice).find("'x'"), std::string::npos);
    choice.config_file = json::array();
    EXPECT_NE(planError(available, choice).find("JSON object"), std::string::npos);
}

TEST(PipelineGraph, UnknownStepNamesAreUsageErrorsListingTheKnownSteps) {
    const std::vector<AvailableStep> available = {step("alpha"), step("beta")};
    StepChoice choice;
    choice.disable = {"gamma"};
    const std::string message = planError(available, choice);
    EXPECT_NE(message.find("unknown step 'gamma' in --disable"), std::string::npos) << message;
    EXPECT_NE(message.find("known steps: alpha, beta"), std::string::npos) << message;
    StepChoice enable;
    enable.enable = {"delta"};
    EXPECT_NE(planError(available, enable).find("'delta' in --enable"), std::string::npos);
    StepChoice config;
    config.config_file = json{{"steps", {{"epsilon", true}}}};
    EXPECT_NE(planError(available, config).find("'epsilon' in --config"), std::string::npos);
}

TEST(PipelineGraph, StepConfigIsValidatedAndDefaultsFilled) {
    AvailableStep thumbs = step("thumbs");
    thumbs.decl.config =
        json::parse(R"({"type": "object", "properties": {"count": {"type": "integer", "default": 5, "minimum": 1}}})");
    const std::vector<AvailableStep> available = {thumbs};
    EXPECT_EQ(planSteps(available, {}).front().config, (json{{"count", 5}}));
    StepChoice choice;
    choice.config_file = json{{"steps", {{"thumbs", {{"config", {{"count", 3}}}}}}}};
    EXPECT_EQ(planSteps(available, choice).front().config, (json{{"count", 3}}));
    choice.config_file = json{{"steps", {{"thumbs", {{"config", {{"count", 0}}}}}}}};
    EXPECT_NE(planError(available, choice).find("config of step 'thumbs'"), std::string::npos);
    choice.config_file = json{{"steps", {{"thumbs", {{"config", {{"size", 3}}}}}}}};
    EXPECT_NE(planError(available, choice).find("size"), std::string::npos);
}

TEST(PipelineGraph, EffectiveConfigListsEveryStep) {
    const std::vector<AvailableStep> available = {step("x"), step("y", {}, {}, false)};
    EXPECT_EQ(effectiveConfig(available, planSteps(available, {})), (json{{"x", true}, {"y", false}}));
}

}  // namespace
