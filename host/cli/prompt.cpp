#include "cli/prompt.hpp"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <istream>
#include <ostream>

namespace clipdex::cli {
namespace {

// What EchoOff must restore; globals because the SIGINT handler can reach nothing else.
int g_echo_fd = -1;
termios g_saved_termios{};
struct sigaction g_previous_sigint {};

extern "C" void restoreEchoAndReraise(int signal_number) {
    // Only async-signal-safe calls: put the terminal back, then let the previous disposition act.
    if (g_echo_fd >= 0) tcsetattr(g_echo_fd, TCSANOW, &g_saved_termios);
    sigaction(SIGINT, &g_previous_sigint, nullptr);
    raise(signal_number);
}

bool readLine(std::istream& in, std::string& line) {
    if (!std::getline(in, line)) return false;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
}

bool ask(const std::string& text, bool hidden, Terminal& terminal, std::string& answer) {
    // Echo goes off before the prompt appears, so nothing typed after seeing it is ever shown.
    std::optional<EchoOff> echo_off;
    if (hidden) echo_off.emplace(terminal.tty_fd);
    terminal.err << text << std::flush;
    return readLine(terminal.in, answer);
}

}  // namespace

EchoOff::EchoOff(int fd) {
    termios current{};
    if (g_echo_fd >= 0 || isatty(fd) == 0 || tcgetattr(fd, &current) != 0) return;
    g_saved_termios = current;
    g_echo_fd = fd;
    struct sigaction action {};
    action.sa_handler = restoreEchoAndReraise;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previous_sigint);
    // ECHONL keeps the newline visible, so the cursor moves on after the hidden answer, like getpass().
    current.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    current.c_lflag |= ECHONL;
    tcsetattr(fd, TCSANOW, &current);
    active_ = true;
}

EchoOff::~EchoOff() {
    if (!active_) return;
    tcsetattr(g_echo_fd, TCSANOW, &g_saved_termios);
    sigaction(SIGINT, &g_previous_sigint, nullptr);
    g_echo_fd = -1;
}

std::optional<std::string> promptFor(const ArgSpec& spec, Terminal& terminal) {
    const std::string unanswered = "missing value for '" + spec.spelling() + "': input ended before it was given";
    std::string first;
    if (!terminal.stdin_is_tty) {
        if (!readLine(terminal.in, first)) throw PromptUnanswered(unanswered);
        if (first.empty() && spec.hasDefault()) return std::nullopt;
        return first;
    }

    std::string label = spec.property["x-prompt"].get<std::string>();
    if (spec.hasDefault() && !spec.hidden()) label += " [" + displayText(spec.property["default"]) + "]";
    for (;;) {
        if (!ask(label + ": ", spec.hidden(), terminal, first)) throw PromptUnanswered(unanswered);
        if (first.empty()) {
            if (spec.hasDefault()) return std::nullopt;
            continue;  // like typer.prompt: ask again until there is an answer
        }
        if (!spec.confirm()) return first;
        std::string second;
        if (!ask("Repeat for confirmation: ", spec.hidden(), terminal, second)) throw PromptUnanswered(unanswered);
        if (first != second) throw PromptMismatch("values do not match");
        return first;
    }
}

}  // namespace clipdex::cli
