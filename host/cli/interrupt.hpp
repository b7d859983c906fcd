// Ctrl-C while a command runs: the first one asks the command to stop, the second one stops the process.
#pragma once

#include <memory>

#include "core/command.hpp"

namespace clipdex::cli {

/// While alive, the first SIGINT cancels `token` (plugins poll it through clipdex.cancellation/1 and stop
/// cleanly, leaving the catalog consistent); a second SIGINT exits at once with 130, the shell's Ctrl-C code.
/// The previous SIGINT disposition is restored on destruction. One scope at a time.
class InterruptScope {
public:
    explicit InterruptScope(std::shared_ptr<CancelToken> token);
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    /// Whether Ctrl-C was pressed while this scope was alive.
    bool interrupted() const noexcept;

private:
    std::shared_ptr<CancelToken> token_;  // kept alive for the handler, which only sees a raw pointer
};

}  // namespace clipdex::cli
