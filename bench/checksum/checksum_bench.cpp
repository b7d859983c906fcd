// Checksum throughput from the page cache: the library plugin's generate_checksum_step, driven through
// the ABI on one large file that was just read (so it is cached). Baselines come from bench/run.sh in the
// same run: `cat` (the page-cache read ceiling) and `xxhsum -H2` (the same hash by the reference CLI).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "loader/plugin_step.hpp"
#include "runtime/runtime.hpp"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s PLUGIN_DIR FILE [REPEATS]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path file = argv[2];
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    const auto temp = std::filesystem::temp_directory_path() / "clipdex-checksum-bench";
    std::filesystem::create_directories(temp);

    clipdex::RuntimeOptions options;
    options.plugin_dirs = {argv[1]};
    options.load_bundled_plugins = false;
    options.load_env_plugins = false;
    options.catalog = (temp / "catalog.db").string();
    clipdex::Runtime runtime(options);
    auto [plugin, decl] = clipdex::findStep(runtime.registry(), "generate_checksum_step");
    if (plugin == nullptr) {
        std::fprintf(stderr, "generate_checksum_step is not loaded from %s\n", argv[1]);
        return 1;
    }
    clipdex::Invocation call;
    clipdex::Outcome error;
    auto step = clipdex::PluginStep::create(*plugin, *decl, clipdex::json::object(), call, error);
    if (!step) {
        std::fprintf(stderr, "cannot create the step: %s\n", error.message.c_str());
        return 1;
    }
    const auto size = std::filesystem::file_size(file);
    const clipdex::json inputs = {{"file",
                                   {{"path", std::filesystem::absolute(file).string()},
                                    {"name", file.filename().string()},
                                    {"size_bytes", size},
                                    {"mtime", ""},
                                    {"mtime_ns", 0}}},
                                  {"data_dir", temp.string()},
                                  {"options", {{"force", true}}},
                                  {"steps", clipdex::json::object()}};
    double best = 1e30;
    std::string checksum;
    for (int round = 0; round < repeats + 1; ++round) {  // round 0 warms the page cache
        const auto start = std::chrono::steady_clock::now();
        const auto outcome = step->run(inputs, call);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!outcome.ok()) {
            std::fprintf(stderr, "checksum failed: %s\n", outcome.message.c_str());
            return 1;
        }
        checksum = outcome.result.value("checksum", "");
        if (round > 0 && seconds < best) best = seconds;
    }
    std::printf("clipdex generate_checksum_step: %.2f GB/s (best of %d, %.3f s for %.2f GB) %s\n",
                static_cast<double>(size) / best / 1e9, repeats, best, static_cast<double>(size) / 1e9,
                checksum.c_str());
    std::filesystem::remove_all(temp);
    return 0;
}
