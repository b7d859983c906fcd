#include "support/test_support.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <thread>

#include "loader/plugin_step.hpp"

namespace clipdex::test {

std::string requiredEnv(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || value[0] == '\0')
        throw std::runtime_error(std::string(name) + " is not set; run the tests through ctest");
    return value;
}

TempDir::TempDir() {
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    for (int attempt = 0; attempt < 100; ++attempt) {
        auto candidate = base / ("clipdex-test-" + std::to_string(random()));
        if (std::filesystem::create_directory(candidate)) {
            path_ = candidate;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory under " + base.string());
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text, const std::map<std::string, std::string>& env) {
    Poco::Pipe in_pipe;
    Poco::Pipe out_pipe;
    Poco::Pipe err_pipe;
    Poco::Process::Env environment(env.begin(), env.end());
    Poco::ProcessHandle handle = Poco::Process::launch(program, Poco::Process::Args(args.begin(), args.end()), ".",
                                                       &in_pipe, &out_pipe, &err_pipe, environment);
    ProcessResult result;
    // Drain stderr on its own thread so neither pipe can fill up and stall the child.
    std::thread err_reader([&] {
        Poco::PipeInputStream stream(err_pipe);
        Poco::StreamCopier::copyToString(stream, result.err);
    });
    {
        Poco::PipeOutputStream input(in_pipe);
        input << stdin_text;
        input.close();
    }
    Poco::PipeInputStream output(out_pipe);
    Poco::StreamCopier::copyToString(output, result.out);
    err_reader.join();
    result.exit_code = handle.wait();
    return result;
}

std::string describe(const ProcessResult& run) {
    return "exit " + std::to_string(run.exit_code) + "\nstdout:\n" + run.out + "\nstderr:\n" + run.err;
}

ProcessResult runClipdex(const TempDir& home, const std::vector<std::string>& args, const std::string& stdin_text,
                         std::map<std::string, std::string> env) {
    env.emplace("HOME", home.path().string());
    env.emplace("XDG_DATA_HOME", (home.path() / "data").string());
    env.emplace("XDG_CONFIG_HOME", (home.path() / "config").string());
    env.emplace("XDG_STATE_HOME", (home.path() / "state").string());
    env.emplace("CLIPDEX_PLUGIN_PATH", "");
    env.emplace("CLIPDEX_CATALOG", "");
    return runProcess(requiredEnv("CLIPDEX_BIN"), args, stdin_text, env);
}

std::filesystem::path fixturePluginDir(const std::string& name) {
    return std::filesystem::path(requiredEnv("CLIPDEX_FIXTURE_PLUGINS")) / name;
}

std::unique_ptr<Runtime> bundledRuntime(const std::filesystem::path& catalog,
                                        std::vector<std::filesystem::path> extra_dirs,
                                        std::optional<std::filesystem::path> config_file) {
    RuntimeOptions options;
    options.plugin_dirs = std::move(extra_dirs);
    options.plugin_dirs.emplace_back(requiredEnv("CLIPDEX_BUNDLED_PLUGINS"));
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = catalog.string();
    options.config_file = std::move(config_file);
    return std::make_unique<Runtime>(options);
}

std::unique_ptr<Runtime> fixtureRuntime(const std::string& name, const std::filesystem::path& catalog) {
    RuntimeOptions options;
    options.plugin_dirs = {fixturePluginDir(name)};
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = catalog.string();
    return std::make_unique<Runtime>(options);
}

Outcome runStep(Runtime& runtime, const std::string& step_id, const json& config, const json& inputs) {
    auto [plugin, decl] = findStep(runtime.registry(), step_id);
    if (plugin == nullptr) return Outcome::failure(CDX_E_NOT_FOUND, "step not loaded: " + step_id);
    Invocation call;
    Outcome error;
    auto step = PluginStep::create(*plugin, *decl, config, call, error);
    if (step == nullptr) return error;
    return step->run(inputs, call);
}

}  // namespace clipdex::test
