// Hidden prompts on real pseudo-terminals, the test playing the user on the master side and watching what the
// terminal echoes back: in-process (openpty, the router on a thread with the slave as its terminal), and the
// real clipdex binary under forkpty. glibc 2.36 has both in libc, so no -lutil is needed.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <istream>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <thread>

#include "cli/cli_router.hpp"
#include "cli/prompt.hpp"
#include "core/command.hpp"

namespace clipdex::cli {
namespace {

/// Unbuffered stream over a file descriptor, so nothing is read from the pty beyond the current line.
class FdBuf : public std::streambuf {
public:
    explicit FdBuf(int fd) : fd_(fd) {}

protected:
    int_type underflow() override {
        if (::read(fd_, &ch_, 1) != 1) return traits_type::eof();
        setg(&ch_, &ch_, &ch_ + 1);
        return traits_type::to_int_type(ch_);
    }
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char byte = traits_type::to_char_type(c);
        return ::write(fd_, &byte, 1) == 1 ? c : traits_type::eof();
    }

private:
    int fd_;
    char ch_ = 0;
};

/// The user's side of a terminal: what it shows (read from the master) and what is typed into it.
class Screen {
public:
    explicit Screen(int master) : master_(master) {}

    /// Reads until `expected` appears, the other side closes, or 5 s pass.
    void readUntil(const std::string& expected) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!closed_ && seen_.find(expected) == std::string::npos && std::chrono::steady_clock::now() < deadline)
            drain(100);
    }
    void drain(int timeout_ms) {
        pollfd poller{master_, POLLIN, 0};
        if (poll(&poller, 1, timeout_ms) <= 0) return;
        char buffer[256];
        const ssize_t count = ::read(master_, buffer, sizeof buffer);
        if (count > 0)
            seen_.append(buffer, static_cast<size_t>(count));
        else
            closed_ = true;  // EIO once the slave side has no process left
    }
    void type(const std::string& text) {
        ASSERT_EQ(::write(master_, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    }
    const std::string& seen() const { return seen_; }

private:
    int master_;
    bool closed_ = false;
    std::string seen_;
};

class Pty {
public:
    Pty() { ok_ = openpty(&master_, &slave_, nullptr, nullptr, nullptr) == 0; }
    ~Pty() {
        if (ok_) {
            close(master_);
            close(slave_);
        }
    }
    bool ok() const { return ok_; }
    int master() const { return master_; }
    int slave() const { return slave_; }

private:
    bool ok_ = false;
    int master_ = -1;
    int slave_ = -1;
};

CommandDecl loginDecl() {
    CommandDecl decl;
    decl.id = "login";
    decl.cli_path = {"auth", "login"};
    decl.args = json::parse(R"({"properties": {
        "email": {"type": "string", "x-prompt": "Email"},
        "password": {"type": "string", "x-prompt": "Password", "x-hidden": true}},
      "required": ["email", "password"]})");
    return decl;
}

TEST(CliPromptPty, HiddenInputIsNotEchoedAndEchoComesBack) {
    Pty pty;
    if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminal available";
    json seen;
    BuiltinCommand login(loginDecl(), [&seen](Invocation& call) {
        seen = call.args;
        return json("welcome");
    });

    int code = -1;
    std::string out_text;
    std::thread user_side([&] {
        FdBuf slave_buf(pty.slave());
        std::istream in(&slave_buf);
        std::ostream err(&slave_buf);
        std::ostringstream out;
        Terminal terminal{in, out, err, /*stdin_is_tty=*/true, /*stdout_is_tty=*/false, pty.slave()};
        CliRouter router("clipdex", "0", {&login});
        const char* argv[] = {"clipdex", "auth", "login"};
        code = router.run(3, argv, terminal);
        out_text = out.str();
    });

    Screen screen(pty.master());
    screen.readUntil("Email: ");
    screen.type("me@example.com\n");
    screen.readUntil("Password: ");
    screen.type("hunter2\n");
    user_side.join();
    screen.drain(200);
    const std::string& shown = screen.seen();

    EXPECT_EQ(code, 0);
    EXPECT_EQ(out_text, "welcome\n");
    EXPECT_EQ(seen, (json{{"email", "me@example.com"}, {"password", "hunter2"}}));
    EXPECT_NE(shown.find("me@example.com"), std::string::npos) << shown;  // ordinary input is echoed
    EXPECT_EQ(shown.find("hunter2"), std::string::npos) << shown;         // the password is not
    termios after{};
    ASSERT_EQ(tcgetattr(pty.slave(), &after), 0);
    EXPECT_NE(after.c_lflag & ECHO, 0u);  // echo is back on
}

TEST(CliPromptPty, EchoOffRestoresTheTerminalSettings) {
    Pty pty;
    if (!pty.ok()) GTEST_SKIP() << "no pseudo-terminal available";
    termios before{};
    ASSERT_EQ(tcgetattr(pty.slave(), &before), 0);
    ASSERT_NE(before.c_lflag & ECHO, 0u);
    {
        const EchoOff echo_off(pty.slave());
        termios during{};
        ASSERT_EQ(tcgetattr(pty.slave(), &during), 0);
        EXPECT_EQ(during.c_lflag & ECHO, 0u);
        EXPECT_NE(during.c_lflag & ECHONL, 0u);
    }
    termios after{};
    ASSERT_EQ(tcgetattr(pty.slave(), &after), 0);
    EXPECT_EQ(after.c_lflag, before.c_lflag);

    const EchoOff not_a_terminal(-1);  // harmless on anything that is not a terminal
}

// The real binary with the fixture plugin's login (hidden, confirmed password) on its own terminal.
// CLIPDEX_BIN and CLIPDEX_FIXTURE_PLUGINS come from ctest; run by hand without them, the test skips.
TEST(CliPromptPty, RealBinaryPromptsOnItsTerminal) {
    const char* binary = std::getenv("CLIPDEX_BIN");
    const char* fixtures = std::getenv("CLIPDEX_FIXTURE_PLUGINS");
    if (binary == nullptr || fixtures == nullptr || access(binary, X_OK) != 0)
        GTEST_SKIP() << "CLIPDEX_BIN / CLIPDEX_FIXTURE_PLUGINS not set (ctest sets them)";
    const std::string plugin_dir = std::string(fixtures) + "/good";

    int master = -1;
    const pid_t child = forkpty(&master, nullptr, nullptr, nullptr);
    ASSERT_GE(child, 0) << "forkpty failed";
    if (child == 0) {
        execl(binary, "clipdex", "--plugin-dir", plugin_dir.c_str(), "fixture", "login", "--format", "json",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    Screen screen(master);
    screen.readUntil("Email: ");
    screen.type("me@example.com\n");
    screen.readUntil("Password: ");
    screen.type("hunter22\n");
    screen.readUntil("Repeat for confirmation: ");
    screen.type("hunter22\n");
    screen.readUntil("}");
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    screen.drain(100);
    close(master);

    const std::string& shown = screen.seen();
    ASSERT_TRUE(WIFEXITED(status)) << shown;
    EXPECT_EQ(WEXITSTATUS(status), 0) << shown;
    EXPECT_NE(shown.find("me@example.com"), std::string::npos) << shown;
    EXPECT_NE(shown.find("\"password_length\": 8"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("hunter22"), std::string::npos) << shown;
}

}  // namespace
}  // namespace clipdex::cli
