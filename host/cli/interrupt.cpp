#include "cli/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace clipdex::cli {
namespace {

// The handler can only reach globals. atomic<CancelToken*> and CancelToken::cancel() are lock-free stores,
// so they are safe inside a signal handler.
std::atomic<CancelToken*> g_token{nullptr};
std::atomic<int> g_interrupts{0};
struct sigaction g_previous {};

extern "C" void onInterrupt(int) {
    if (g_interrupts.fetch_add(1) >= 1) _exit(130);
    if (CancelToken* token = g_token.load()) token->cancel();
    static const char note[] = "\nCancelling... press Ctrl-C again to stop immediately.\n";
    if (write(STDERR_FILENO, note, sizeof note - 1) < 0) {
        // Nothing useful to do: stderr is gone.
    }
}

}  // namespace

InterruptScope::InterruptScope(std::shared_ptr<CancelToken> token) : token_(std::move(token)) {
    g_interrupts.store(0);
    g_token.store(token_.get());
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &g_previous);
}

InterruptScope::~InterruptScope() {
    sigaction(SIGINT, &g_previous, nullptr);
    g_token.store(nullptr);
}

bool InterruptScope::interrupted() const noexcept {
    return g_interrupts.load() > 0;
}

}  // namespace clipdex::cli
