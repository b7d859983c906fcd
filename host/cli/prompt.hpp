// Asking for x-prompt arguments the user left out (auth login's email and password, like typer.prompt).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "cli/arg_spec.hpp"
#include "cli/cli_router.hpp"

namespace clipdex::cli {

/// No value could be read (stdin ended): a usage error naming the argument.
class PromptUnanswered : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The confirmation differed from the first answer: the command fails (exit 1).
class PromptMismatch : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Asks for one argument. On a terminal: prompt text on terminal.err, hidden input with echo off on
/// terminal.tty_fd, asked twice when x-confirm. Otherwise one line from terminal.in, no prompt text, so a
/// script can pipe a password. Returns nullopt when the answer was empty and the schema has a default.
std::optional<std::string> promptFor(const ArgSpec& spec, Terminal& terminal);

/// Turns echo off on a terminal until destroyed, and puts it back even if SIGINT arrives meanwhile.
/// Does nothing when fd is not a terminal.
class EchoOff {
public:
    explicit EchoOff(int fd);
    ~EchoOff();
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    bool active_ = false;
};

}  // namespace clipdex::cli
