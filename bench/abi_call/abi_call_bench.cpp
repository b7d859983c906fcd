// Cost of calling an empty plugin command through the ABI with a small JSON argument and result.
//   BM_BaselineJsonOnly   the JSON work alone (parse args, build and dump a result, parse it): baseline
//   BM_RawAbiInvoke       cdx_command_v1.invoke on the loaded plugin, host sinks included
//   BM_HostDispatch       what the routers do: validate args by schema, then PluginCommand::run
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "core/schema.hpp"
#include "loader/plugin_registry.hpp"
#include "runtime/runtime.hpp"
#include "services/call_state.hpp"

namespace {

using clipdex::json;

const json kArgs = {{"id", "c0ffee"}, {"limit", 10}};

clipdex::Runtime& runtime() {
    static clipdex::Runtime instance([] {
        clipdex::RuntimeOptions options;
        const char* dir = std::getenv("CLIPDEX_BENCH_PLUGINS");
        options.plugin_dirs = {dir != nullptr ? dir : "build/bench/plugins"};
        options.load_bundled_plugins = false;
        options.load_env_plugins = false;
        options.catalog = ":memory:";
        return options;
    }());
    return instance;
}

clipdex::Command& noop() {
    for (auto* command : runtime().registry().commands())
        if (command->decl().id == "noop") return *command;
    std::abort();  // the bench plugin was not built or CLIPDEX_BENCH_PLUGINS is wrong
}

void BM_BaselineJsonOnly(benchmark::State& state) {
    const std::string text = clipdex::dumpJson(kArgs);
    for (auto _ : state) {
        const json args = json::parse(text);
        const std::string result = clipdex::dumpJson(json{{"ok", true}, {"limit", args.value("limit", 0)}});
        benchmark::DoNotOptimize(json::parse(result));
    }
}

void BM_RawAbiInvoke(benchmark::State& state) {
    noop();
    auto* plugin = const_cast<clipdex::LoadedPlugin*>(runtime().registry().findPlugin("bench.empty"));
    if (!clipdex::activatePlugin(*plugin).empty()) std::abort();
    const std::string args = clipdex::dumpJson(kArgs);
    const std::string id = "noop";
    for (auto _ : state) {
        clipdex::Invocation invocation;
        clipdex::CallState call("bench.empty", invocation);
        const cdx_status status = plugin->command_api->invoke(plugin->instance, cdx_str{id.data(), id.size()},
                                                              cdx_str{args.data(), args.size()}, call.abi());
        benchmark::DoNotOptimize(call.finish(status));
    }
}

void BM_HostDispatch(benchmark::State& state) {
    clipdex::Command& command = noop();
    for (auto _ : state) {
        clipdex::Invocation invocation;
        invocation.args = clipdex::schema::validateArgs(command.decl().args, kArgs, clipdex::schema::Origin::Json);
        benchmark::DoNotOptimize(command.run(invocation));
    }
}

BENCHMARK(BM_BaselineJsonOnly);
BENCHMARK(BM_RawAbiInvoke);
BENCHMARK(BM_HostDispatch);

}  // namespace

BENCHMARK_MAIN();
