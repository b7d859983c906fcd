// Helpers shared by the test suites: temporary directories and running the real clipdex binary.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/command.hpp"
#include "runtime/runtime.hpp"

namespace clipdex::test {

/// The value of an environment variable ctest sets (CLIPDEX_BIN, CLIPDEX_FIXTURE_PLUGINS, ...).
/// Throws std::runtime_error when it is missing, i.e. the test was not started by ctest.
std::string requiredEnv(const char* name);

/// A fresh directory removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// "exit N", stdout and stderr of a finished process, for failure messages.
std::string describe(const ProcessResult& run);

/// Runs a program to completion with the given stdin text and extra environment variables.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& stdin_text = "", const std::map<std::string, std::string>& env = {});

/// Runs build/bin/clipdex with HOME and the XDG directories inside `home`, so tests never touch the user's
/// catalog. Bundled plugins load as usual; add --plugin-dir arguments for fixtures.
ProcessResult runClipdex(const TempDir& home, const std::vector<std::string>& args, const std::string& stdin_text = "",
                         std::map<std::string, std::string> env = {});

/// The directory holding one fixture plugin (tests/fixtures/plugins/<name>).
std::filesystem::path fixturePluginDir(const std::string& name);

/// An in-process host with the bundled first-party plugins (plus `extra_dirs`) and its catalog at `catalog`.
std::unique_ptr<Runtime> bundledRuntime(const std::filesystem::path& catalog,
                                        std::vector<std::filesystem::path> extra_dirs = {},
                                        std::optional<std::filesystem::path> config_file = std::nullopt);

/// An in-process host with only the fixture plugin `name` (no bundled or environment plugins).
std::unique_ptr<Runtime> fixtureRuntime(const std::string& name, const std::filesystem::path& catalog);

/// Creates step `step_id` with `config` and runs it once on `inputs`, as the executor does.
Outcome runStep(Runtime& runtime, const std::string& step_id, const json& config, const json& inputs);

}  // namespace clipdex::test
