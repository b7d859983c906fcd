// The SDK as a third party receives it: install the `sdk` component into a prefix, copy the plugin
// template from there, build it out of tree with find_package(ClipdexSDK), and load the result into the
// real clipdex binary. Catches install rules, the CMake package and clipdex_add_plugin() going wrong.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/dll/library_info.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "support/test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::ProcessResult;
using clipdex::test::requiredEnv;
using clipdex::test::runClipdex;
using clipdex::test::runProcess;
using clipdex::test::TempDir;

constexpr const char* kEntrySymbol = "clipdex_plugin_entry_v1";

std::string describe(const std::string& what, const ProcessResult& run) {
    return what + ": " + clipdex::test::describe(run);
}

std::string joined(const std::vector<std::string>& args) {
    std::string text;
    for (const auto& arg : args) text += (text.empty() ? "" : " ") + arg;
    return text;
}

/// `name` resolved through PATH, so the child is started the same way a shell would start it.
std::string onPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string list = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    std::istringstream dirs(list);
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        const fs::path candidate = fs::path(dir) / name;
        std::error_code error;
        if (fs::is_regular_file(candidate, error) && access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return name;
}

/// Runs a build tool; the command line is part of every failure message.
ProcessResult tool(const std::string& program, const std::vector<std::string>& args, std::string& label) {
    label = fs::path(program).filename().string() + " " + joined(args);
    return runProcess(program, args);
}

std::string readText(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

json readJson(const fs::path& path) {
    return json::parse(readText(path), nullptr, false);
}

json stdoutJson(const std::string& what, const ProcessResult& run) {
    json value = json::parse(run.out, nullptr, false);
    EXPECT_FALSE(value.is_discarded()) << what << ": stdout is not JSON\n" << describe(what, run);
    return value;
}

/// Symbol names from `nm -D --defined-only` output ("0000000000001139 T clipdex_plugin_entry_v1").
std::set<std::string> symbolNames(const std::string& nm_output) {
    std::set<std::string> names;
    std::istringstream lines(nm_output);
    for (std::string line; std::getline(lines, line);) {
        const auto last = line.find_last_of(' ');
        std::string name = last == std::string::npos ? line : line.substr(last + 1);
        if (!name.empty()) names.insert(name);
    }
    return names;
}

std::string listed(const std::set<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return "{" + text + "}";
}

/// CLIPDEX_BINARY_DIR, or else the build tree holding CLIPDEX_BIN (<build>/bin/clipdex).
fs::path binaryDir() {
    if (const char* dir = std::getenv("CLIPDEX_BINARY_DIR"); dir != nullptr && dir[0] != '\0') return dir;
    return fs::path(requiredEnv("CLIPDEX_BIN")).parent_path().parent_path();
}

/// CLIPDEX_SOURCE_DIR, or else the source tree the build tree's CMakeCache.txt names.
fs::path sourceDir(const fs::path& binary_dir) {
    if (const char* dir = std::getenv("CLIPDEX_SOURCE_DIR"); dir != nullptr && dir[0] != '\0') return dir;
    const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
    std::istringstream cache(readText(binary_dir / "CMakeCache.txt"));
    for (std::string line; std::getline(cache, line);)
        if (line.rfind(key, 0) == 0) return line.substr(key.size());
    return requiredEnv("CLIPDEX_SOURCE_DIR");  // throws, naming the variable
}

TEST(SdkInstall, TemplateBuildsOutOfTreeAndLoads) {
    const fs::path binary_dir = binaryDir();
    const fs::path source_dir = sourceDir(binary_dir);
    ASSERT_TRUE(fs::is_regular_file(binary_dir / "cmake_install.cmake"))
        << binary_dir << " is not a configured build tree";
    const std::string cmake = onPath("cmake");
    TempDir tmp;
    TempDir home;
    const fs::path prefix = tmp / "prefix";
    std::string label;

    // 1. Install only the SDK component, as a -dev package or SDK archive would carry it.
    auto run =
        tool(cmake, {"--install", binary_dir.string(), "--component", "sdk", "--prefix", prefix.string()}, label);
    ASSERT_EQ(run.exit_code, 0) << describe(label, run);
    const fs::path package_dir = prefix / "lib" / "cmake" / "ClipdexSDK";
    for (const fs::path& file : {package_dir / "ClipdexSDKConfig.cmake", package_dir / "ClipdexSDKConfigVersion.cmake",
                                 package_dir / "ClipdexPlugin.cmake", prefix / "include" / "clipdex" / "plugin.hpp",
                                 prefix / "share" / "clipdex" / "schema" / "manifest-1.schema.json"})
        EXPECT_TRUE(fs::is_regular_file(file)) << file << " was not installed\n" << describe(label, run);
    EXPECT_FALSE(readJson(prefix / "share" / "clipdex" / "schema" / "manifest-1.schema.json").is_discarded())
        << "the installed manifest schema is not valid JSON";

    // Every file of sdk/template is installed unchanged.
    const fs::path template_source = source_dir / "sdk" / "template";
    const fs::path installed_template = prefix / "share" / "clipdex" / "plugin-template";
    for (const auto& item : fs::recursive_directory_iterator(template_source)) {
        if (!item.is_regular_file()) continue;
        const fs::path relative = fs::relative(item.path(), template_source);
        ASSERT_TRUE(fs::is_regular_file(installed_template / relative)) << relative << " missing from the install";
        EXPECT_EQ(readText(installed_template / relative), readText(item.path())) << relative << " differs";
    }

    // 2. A third party copies the installed template and builds it out of tree. No compiler launcher, so the
    //    result never depends on a ccache directory; no package registry, so only the prefix can satisfy
    //    find_package.
    const fs::path project = tmp / "hello";
    const fs::path build = tmp / "build";
    fs::copy(installed_template, project, fs::copy_options::recursive);
    run = tool(cmake,
               {"-S", project.string(), "-B", build.string(), "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix.string(),
                "-DCMAKE_CXX_COMPILER_LAUNCHER=", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"},
               label);
    ASSERT_EQ(run.exit_code, 0) << describe(label, run);
    const std::string cache = readText(build / "CMakeCache.txt");
    EXPECT_NE(cache.find("ClipdexSDK_DIR:PATH=" + package_dir.string()), std::string::npos)
        << "find_package(ClipdexSDK) did not pick the package installed in " << prefix;

    run = tool(cmake, {"--build", build.string(), "--parallel", "1"}, label);
    ASSERT_EQ(run.exit_code, 0) << describe(label, run);

    // 3. The library, with its manifest beside it (same JSON as plugin.json).
    const fs::path library = build / "hello-clipdex.so";
    const fs::path sidecar = build / "hello-clipdex.json";
    ASSERT_TRUE(fs::is_regular_file(library)) << library << " was not built\n" << describe(label, run);
    ASSERT_TRUE(fs::is_regular_file(sidecar)) << "no manifest beside " << library;
    EXPECT_EQ(readJson(sidecar), readJson(project / "plugin.json"));

    // 4. Exactly one exported symbol, read two ways: nm's dynamic table and Boost.DLL's export list.
    run = tool(onPath("nm"), {"-D", "--defined-only", library.string()}, label);
    ASSERT_EQ(run.exit_code, 0) << describe(label, run);
    const std::set<std::string> exported = symbolNames(run.out);
    EXPECT_EQ(exported, std::set<std::string>{kEntrySymbol}) << "exports " << listed(exported) << "\n" << run.out;
    const auto boost_symbols = boost::dll::library_info(library).symbols();
    const std::set<std::string> boost_exported(boost_symbols.begin(), boost_symbols.end());
    EXPECT_EQ(boost_exported, std::set<std::string>{kEntrySymbol}) << "Boost.DLL sees " << listed(boost_exported);

    // 5. The host loads it from --plugin-dir and routes the command generated from the manifest.
    const std::vector<std::string> plugin_dir = {"--plugin-dir", build.string()};
    auto withPlugin = [&plugin_dir](std::vector<std::string> args) {
        args.insert(args.begin(), plugin_dir.begin(), plugin_dir.end());
        return args;
    };
    run = runClipdex(home, withPlugin({"hello", "greet", "Ada", "--format", "json"}));
    ASSERT_EQ(run.exit_code, 0) << describe("clipdex hello greet Ada", run);
    json greeting = stdoutJson("hello greet", run);
    EXPECT_EQ(greeting, (json{{"greeting", "Hello, Ada!"}, {"name", "Ada"}})) << run.out;

    run = runClipdex(home, withPlugin({"hello", "greet", "Ada", "--shout", "--format", "json"}));
    ASSERT_EQ(run.exit_code, 0) << describe("clipdex hello greet Ada --shout", run);
    EXPECT_EQ(stdoutJson("hello greet --shout", run).value("greeting", ""), "HELLO, ADA!") << run.out;

    run = runClipdex(home, withPlugin({"list-steps", "--format", "json"}));
    ASSERT_EQ(run.exit_code, 0) << describe("clipdex list-steps", run);
    const json steps = stdoutJson("list-steps", run);
    ASSERT_TRUE(steps.is_array()) << run.out;
    const json* word_count = nullptr;
    for (const json& step : steps)
        if (step.value("name", "") == "example_word_count") word_count = &step;
    ASSERT_NE(word_count, nullptr) << "example_word_count missing from list-steps\n" << run.out;
    EXPECT_EQ(word_count->value("category", ""), "Analysis");
    EXPECT_EQ(word_count->value("plugin", ""), "com.example.hello");

    run = runClipdex(home, withPlugin({"plugins", "info", "com.example.hello", "--format", "json"}));
    ASSERT_EQ(run.exit_code, 0) << describe("clipdex plugins info com.example.hello", run);
    const json info = stdoutJson("plugins info", run);
    EXPECT_EQ(info.value("status", ""), "loaded") << run.out;
    EXPECT_EQ(info.value("build_info", "").rfind("clipdex-sdk 1.", 0), 0u) << run.out;
}

}  // namespace
