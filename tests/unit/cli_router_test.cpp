// CliRouter end to end on in-memory streams: argv in, exit code and stdout/stderr text out.
#include "cli/cli_router.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <sstream>

#include "core/command.hpp"
#include "core/status.hpp"

namespace clipdex::cli {
namespace {

struct RunResult {
    int code = -1;
    std::string out;
    std::string err;
};

CommandDecl makeDecl(std::string id, std::vector<std::string> path, json args, json output = json::object()) {
    CommandDecl decl;
    decl.plugin_id = "test";
    decl.id = std::move(id);
    decl.summary = "Summary of " + decl.id;
    decl.cli_path = std::move(path);
    decl.args = std::move(args);
    decl.output = std::move(output);
    return decl;
}

/// A command that streams records instead of returning them in its result.
class StreamingCommand final : public Command {
public:
    explicit StreamingCommand(json result) : Command(makeDecl("stream", {"stream"}, json::object())), result_(result) {}
    Outcome run(Invocation&) noexcept override {
        Outcome outcome;
        outcome.result = result_;
        outcome.records = {json{{"id", "a"}, {"n", 1}}, json{{"id", "b"}, {"n", 2}}};
        return outcome;
    }

private:
    json result_;
};

class CliRouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        add(makeDecl("search-recent", {"search", "recent"}, json::parse(R"({"properties": {
                         "limit": {"type": "integer", "minimum": 1, "default": 10, "x-cli-short": "l",
                                   "description": "Number of recent videos to show"},
                         "sort_order": {"type": "string", "enum": ["ascending", "descending"], "default": "descending",
                                        "x-enum-aliases": {"asc": "ascending", "desc": "descending"}}}})")),
            [](Invocation& call) {
                return json{{"results", json::array()}, {"limit", call.args["limit"]}};
            });
        add(makeDecl("search-query", {"search", "query"},
                     json::parse(R"({"properties": {"query": {"type": "string", "x-cli-positional": 0,
                                                                "description": "Search query text"}},
                                     "required": ["query"]})")));
        CommandDecl ingest = makeDecl("ingest", {"ingest"}, json::parse(R"({"properties": {
                "directory": {"type": "string", "x-cli-positional": 0, "description": "Directory containing video files"},
                "recursive": {"type": "boolean", "default": true, "x-cli-short": "r", "description": "Search subdirectories"},
                "force": {"type": "boolean", "default": false, "x-cli-short": "f"},
                "enable": {"type": "array", "items": {"type": "string"}, "description": "Steps to enable"}},
              "required": ["directory"]})"));
        ingest.description = "Scans DIRECTORY for video files and runs the pipeline on each.";
        add(std::move(ingest));
        add(makeDecl("login", {"auth", "login"}, json::parse(R"({"properties": {
                "email": {"type": "string", "x-prompt": "Email"},
                "password": {"type": "string", "x-prompt": "Password", "x-hidden": true}},
              "required": ["email", "password"]})")));
        add(makeDecl("signup", {"auth", "signup"}, json::parse(R"({"properties": {
                "password": {"type": "string", "x-prompt": "Password", "x-hidden": true, "x-confirm": true}},
              "required": ["password"]})")));
        add(makeDecl("list-steps", {"list-steps"}, json::object(), json::parse(R"j({"json": "/steps", "table": {
                "title": "Available pipeline steps ({count} total)", "rows": "/steps",
                "columns": [{"key": "name", "title": "Step Name"},
                            {"key": "enabled", "title": "Status", "values": {"true": "Enabled", "false": "Disabled"}},
                            {"key": "description", "title": "Description"}]}})j")),
            [](Invocation&) {
                return json::parse(R"({"total_steps": 2, "steps": [
                    {"name": "generate_checksum_step", "enabled": true, "description": "Checksum"},
                    {"name": "extract_ffprobe_step", "enabled": false, "description": "ffprobe"}]})");
            });
        add(makeDecl("transcript", {"clip", "transcript"}, json::parse(R"({"properties": {
                "clip_id": {"type": "string", "x-cli-positional": 0},
                "format": {"type": "string", "enum": ["text", "json"], "default": "text"}},
              "required": ["clip_id"]})")),
            [](Invocation& call) -> json {
                if (call.args["format"] == "text") return "full transcript text";
                return json{{"text", "full transcript text"}};
            });
        add(makeDecl("show", {"clip", "show"},
                     json::parse(R"({"properties": {"clip_id": {"type": "string", "x-cli-positional": 0}}})")),
            [](Invocation&) -> json {
                throw CommandError(CDX_E_NOT_FOUND, "Clip not found",
                                   json{{"hint", "List clips with 'clipdex clip list'"}});
            });
        add(makeDecl("interrupt", {"interrupt"}, json::object()), [](Invocation& call) {
            raise(SIGINT);  // what Ctrl-C does while the command runs
            return json{{"cancelled", call.cancel->cancelled()}};
        });
        owned_.push_back(std::make_unique<StreamingCommand>(json{{"total", 2}}));
    }

    void add(CommandDecl decl, BuiltinCommand::Handler handler = {}) {
        if (!handler) handler = [](Invocation&) { return json{{"ok", true}}; };
        owned_.push_back(std::make_unique<BuiltinCommand>(std::move(decl), [this, handler](Invocation& call) {
            seen_ = call.args;
            request_id_ = call.request_id;
            return handler(call);
        }));
    }

    RunResult run(std::vector<std::string> args, const std::string& input = "", bool tty = false) {
        std::vector<Command*> commands;
        for (const auto& command : owned_) commands.push_back(command.get());
        CliRouter router("clipdex", "1.2.3", commands);
        router.describeGroup({"search"}, "Search and discovery commands");
        args.insert(args.begin(), "clipdex");
        std::vector<const char*> argv;
        for (const std::string& arg : args) argv.push_back(arg.c_str());
        std::istringstream in(input);
        std::ostringstream out;
        std::ostringstream err;
        Terminal terminal{in, out, err, tty, false, -1};
        RunResult result;
        result.code = router.run(static_cast<int>(argv.size()), argv.data(), terminal);
        result.out = out.str();
        result.err = err.str();
        return result;
    }

    std::vector<std::unique_ptr<Command>> owned_;
    json seen_;
    std::string request_id_;
};

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST_F(CliRouterTest, NoArgumentsAndHelpPrintRootHelp) {
    for (const auto& args : {std::vector<std::string>{}, std::vector<std::string>{"--help"}}) {
        const RunResult result = run(args);
        EXPECT_EQ(result.code, kExitOk);
        EXPECT_EQ(result.err, "");
        for (const char* part : {"search", "ingest", "auth", "list-steps", "Search and discovery commands",
                                 "--plugin-dir", "--catalog", "--config-file", "--log-level", "--version"})
            EXPECT_TRUE(has(result.out, part)) << part << " missing from\n" << result.out;
    }
}

TEST_F(CliRouterTest, GroupHelpListsItsCommands) {
    const RunResult result = run({"search", "--help"});
    EXPECT_EQ(result.code, kExitOk);
    EXPECT_TRUE(has(result.out, "clipdex search")) << result.out;
    EXPECT_TRUE(has(result.out, "recent")) << result.out;
    EXPECT_TRUE(has(result.out, "query")) << result.out;
    EXPECT_TRUE(has(result.out, "Summary of search-recent")) << result.out;
    // Groups without a description list their commands.
    EXPECT_TRUE(has(run({"--help"}).out, "Commands: login, signup"));
}

TEST_F(CliRouterTest, LeafHelpShowsTypesDefaultsAndChoices) {
    RunResult result = run({"search", "recent", "--help"});
    EXPECT_EQ(result.code, kExitOk);
    for (const char* part :
         {"Usage: clipdex search recent", "-l, --limit", "INTEGER", "[default: 10]", "Number of recent videos to show",
          "--sort-order", "[ascending|descending]", "-f, --format", "[table|json]"})
        EXPECT_TRUE(has(result.out, part)) << part << " missing from\n" << result.out;

    result = run({"ingest", "--help"});  // --help wins over the missing DIRECTORY
    EXPECT_EQ(result.code, kExitOk);
    for (const char* part : {"DIRECTORY", "-r, --recursive / --no-recursive", "[default: recursive]",
                             "[default: no-force]", "--enable", "Scans DIRECTORY for video files"})
        EXPECT_TRUE(has(result.out, part)) << part << " missing from\n" << result.out;
    // -f belongs to --force here, so --format has no short form.
    EXPECT_FALSE(has(result.out, "-f, --format")) << result.out;
}

TEST_F(CliRouterTest, VersionFlag) {
    const RunResult result = run({"--version"});
    EXPECT_EQ(result.code, kExitOk);
    EXPECT_EQ(result.out, "clipdex 1.2.3\n");
}

TEST_F(CliRouterTest, TypedValuesReachTheHandler) {
    EXPECT_EQ(run({"search", "recent", "-l", "5", "--sort-order", "asc"}).code, kExitOk);
    EXPECT_EQ(seen_, (json{{"limit", 5}, {"sort_order", "ascending"}}));
    EXPECT_EQ(run({"search", "recent", "--limit=7", "-l8"}).code, kExitOk);  // last one wins
    EXPECT_EQ(seen_["limit"], 8);
    EXPECT_EQ(run({"search", "recent"}).code, kExitOk);
    EXPECT_EQ(seen_, (json{{"limit", 10}, {"sort_order", "descending"}}));  // defaults from the schema
    EXPECT_EQ(request_id_.rfind("cli-", 0), 0u) << request_id_;
}

TEST_F(CliRouterTest, BooleanFlagsAndNegationLastWins) {
    ASSERT_EQ(run({"ingest", "/videos", "--no-recursive"}).code, kExitOk);
    EXPECT_EQ(seen_, (json{{"directory", "/videos"}, {"recursive", false}, {"force", false}}));
    ASSERT_EQ(run({"ingest", "--no-recursive", "/videos", "-r", "-f"}).code, kExitOk);
    EXPECT_EQ(seen_["recursive"], true);
    EXPECT_EQ(seen_["force"], true);
    ASSERT_EQ(run({"ingest", "/videos", "--recursive", "--no-recursive"}).code, kExitOk);
    EXPECT_EQ(seen_["recursive"], false);
}

TEST_F(CliRouterTest, RepeatableOptionsTakeCommaListsAndRepetition) {
    // One value per occurrence: "--enable c /videos" leaves /videos for DIRECTORY.
    ASSERT_EQ(run({"ingest", "--enable", "a,b", "--enable", "c", "/videos"}).code, kExitOk);
    EXPECT_EQ(seen_["enable"], (json{"a", "b", "c"}));
    EXPECT_EQ(seen_["directory"], "/videos");
    ASSERT_EQ(run({"ingest", "--enable=a", "/videos", "--enable", " b , c"}).code, kExitOk);
    EXPECT_EQ(seen_["enable"], (json{"a", "b", "c"}));
}

TEST_F(CliRouterTest, GlobalOptionsAreAcceptedAnywhere) {
    const RunResult result = run({"--catalog", "a.db", "search", "recent", "--plugin-dir", "p", "--log-level=debug"});
    EXPECT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_["limit"], 10);
}

TEST_F(CliRouterTest, BadLogLevelIsAUsageError) {
    const RunResult result = run({"search", "recent", "--log-level", "loud"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "--log-level")) << result.err;
}

TEST_F(CliRouterTest, UnknownOptionIsAUsageErrorNamingIt) {
    const RunResult result = run({"search", "recent", "--bogus"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(has(result.err, "--bogus")) << result.err;
    EXPECT_TRUE(has(result.err, "Run 'clipdex search recent --help' for usage.")) << result.err;
}

TEST_F(CliRouterTest, UnknownCommandAndMissingCommandAreUsageErrors) {
    RunResult result = run({"nope"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "no such command 'nope'; choose one of: search, ingest")) << result.err;
    EXPECT_EQ(result.out, "");

    result = run({"search", "--bogus"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "no such option: --bogus")) << result.err;
    EXPECT_TRUE(has(result.err, "Run 'clipdex search --help' for usage.")) << result.err;

    result = run({"search"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "missing command; choose one of: recent, query")) << result.err;
    EXPECT_TRUE(has(result.err, "Run 'clipdex search --help' for usage.")) << result.err;
}

TEST_F(CliRouterTest, BadValuesNameTheOptionAsTyped) {
    RunResult result = run({"search", "recent", "--limit", "abc"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_EQ(result.out, "");
    EXPECT_TRUE(has(result.err, "'--limit' must be an integer")) << result.err;

    result = run({"search", "recent", "-l", "0"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "'--limit' must be at least 1")) << result.err;

    result = run({"search", "recent", "--sort-order", "sideways"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "'--sort-order' must be one of: ascending, descending")) << result.err;

    result = run({"search", "recent", "--format", "xml"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "'--format'")) << result.err;

    result = run({"search", "recent", "--limit"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "--limit")) << result.err;
}

TEST_F(CliRouterTest, MissingPositionalIsAUsageError) {
    RunResult result = run({"ingest"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "DIRECTORY")) << result.err;
    EXPECT_TRUE(has(result.err, "Run 'clipdex ingest --help' for usage.")) << result.err;
    result = run({"search", "query"});
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "QUERY")) << result.err;
}

TEST_F(CliRouterTest, JsonModePrintsOnlyJson) {
    const RunResult result = run({"search", "recent", "--format", "json", "-l", "3"});
    ASSERT_EQ(result.code, kExitOk);
    EXPECT_EQ(json::parse(result.out), (json{{"results", json::array()}, {"limit", 3}}));
    EXPECT_EQ(result.err, "");
}

TEST_F(CliRouterTest, JsonPointerSelectsWhatJsonModePrints) {
    const RunResult result = run({"list-steps", "-f", "json"});
    ASSERT_EQ(result.code, kExitOk);
    const json steps = json::parse(result.out);
    ASSERT_TRUE(steps.is_array());
    EXPECT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[0]["name"], "generate_checksum_step");
}

TEST_F(CliRouterTest, TableModeUsesTheDeclaredColumns) {
    const std::string expected =
        "Available pipeline steps (2 total)\n"
        "Step Name               Status    Description\n"
        "----------------------  --------  -----------\n"
        "generate_checksum_step  Enabled   Checksum\n"
        "extract_ffprobe_step    Disabled  ffprobe\n";
    EXPECT_EQ(run({"list-steps"}).out, expected);
    EXPECT_EQ(run({"list-steps", "--format", "simple"}).out, expected);  // the original accepted "simple"
}

TEST_F(CliRouterTest, SchemaOwnedFormatPassesThrough) {
    RunResult result = run({"clip", "transcript", "c1"});
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_["format"], "text");
    EXPECT_EQ(result.out, "full transcript text\n");  // a string result is printed raw

    result = run({"clip", "transcript", "c1", "-f", "json"});
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_["format"], "json");
    EXPECT_EQ(json::parse(result.out), (json{{"text", "full transcript text"}}));

    EXPECT_EQ(run({"clip", "transcript", "c1", "--format", "table"}).code, kExitUsage);  // not in its enum
}

TEST_F(CliRouterTest, FailureExitsOneWithErrorAndHint) {
    RunResult result = run({"clip", "show", "c1"});
    EXPECT_EQ(result.code, kExitFailure);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "error: Clip not found\nhint: List clips with 'clipdex clip list'\n");

    result = run({"clip", "show", "c1", "--format", "json"});
    EXPECT_EQ(result.code, kExitFailure);
    const json body = json::parse(result.out);
    EXPECT_EQ(body["success"], false);
    EXPECT_EQ(body["error"], "Clip not found");
    EXPECT_EQ(body["code"], "NOT_FOUND");
}

TEST_F(CliRouterTest, StreamedRecordsAreMergedIntoTheResult) {
    RunResult result = run({"stream", "--format", "json"});
    ASSERT_EQ(result.code, kExitOk);
    const json body = json::parse(result.out);
    EXPECT_EQ(body["total"], 2);
    ASSERT_EQ(body["records"].size(), 2u);
    EXPECT_EQ(body["records"][1]["id"], "b");

    result = run({"stream"});
    ASSERT_EQ(result.code, kExitOk);
    EXPECT_TRUE(has(result.out, "total  2")) << result.out;
    EXPECT_TRUE(has(result.out, "id  n\n--  -\na   1\nb   2\n")) << result.out;
}

TEST_F(CliRouterTest, PromptsReadLinesFromAPipe) {
    RunResult result = run({"auth", "login"}, "me@example.com\nhunter2\n");
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_, (json{{"email", "me@example.com"}, {"password", "hunter2"}}));
    EXPECT_EQ(result.err, "");  // no prompt text when nobody is typing

    result = run({"auth", "login", "--email", "given@example.com"}, "pw-from-pipe\r\n");
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_, (json{{"email", "given@example.com"}, {"password", "pw-from-pipe"}}));
}

TEST_F(CliRouterTest, PromptAtEndOfInputIsAUsageError) {
    const RunResult result = run({"auth", "login", "--email", "me@example.com"}, "");
    EXPECT_EQ(result.code, kExitUsage);
    EXPECT_TRUE(has(result.err, "'--password'")) << result.err;
    EXPECT_TRUE(has(result.err, "Run 'clipdex auth login --help' for usage.")) << result.err;
}

TEST_F(CliRouterTest, TerminalPromptsShowTextAndConfirm) {
    // tty_fd -1 is not a terminal, so echo handling is skipped; the pty test covers it.
    RunResult result = run({"auth", "signup"}, "s3cret\ns3cret\n", /*tty=*/true);
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_["password"], "s3cret");
    EXPECT_EQ(result.err, "Password: Repeat for confirmation: ");

    result = run({"auth", "signup"}, "s3cret\nother\n", /*tty=*/true);
    EXPECT_EQ(result.code, kExitFailure);
    EXPECT_TRUE(has(result.err, "error: values do not match")) << result.err;

    result = run({"auth", "login"}, "\nme@example.com\npw\n", /*tty=*/true);  // an empty answer is asked again
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(seen_["email"], "me@example.com");
    EXPECT_EQ(result.err, "Email: Email: Password: ");
}

TEST_F(CliRouterTest, CtrlCCancelsTheRunningInvocation) {
    struct sigaction before {};
    sigaction(SIGINT, nullptr, &before);
    const RunResult result = run({"interrupt", "--format", "json"});
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(json::parse(result.out)["cancelled"], true);
    struct sigaction after {};
    sigaction(SIGINT, nullptr, &after);
    EXPECT_EQ(after.sa_handler, before.sa_handler);  // the previous disposition is back
}

TEST_F(CliRouterTest, SecondCtrlCExitsAt130) {
    add(makeDecl("stubborn", {"stubborn"}, json::object()), [](Invocation&) {
        raise(SIGINT);  // the command ignores the first one...
        raise(SIGINT);  // ...so the user presses Ctrl-C again
        return json("not reached");
    });
    EXPECT_EXIT(run({"stubborn"}), ::testing::ExitedWithCode(130), "press Ctrl-C again");
}

TEST_F(CliRouterTest, ClashingPathsKeepTheFirstCommand) {
    add(makeDecl("duplicate", {"search", "recent"}, json::object()), [](Invocation&) { return json("dup"); });
    add(makeDecl("under-leaf", {"ingest", "more"}, json::object()));
    add(makeDecl("group-as-leaf", {"search"}, json::object()));
    const RunResult result = run({"search", "recent", "-f", "json"});
    ASSERT_EQ(result.code, kExitOk) << result.err;
    EXPECT_EQ(json::parse(result.out)["limit"], 10);
}

}  // namespace
}  // namespace clipdex::cli
