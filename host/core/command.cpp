#include "core/command.hpp"

#include "core/schema.hpp"

namespace clipdex {

Outcome BuiltinCommand::run(Invocation& invocation) noexcept {
    try {
        Outcome outcome;
        outcome.result = handler_(invocation);
        return outcome;
    } catch (const CommandError& error) {
        return Outcome::failure(error.status(), error.what(), error.details());
    } catch (const schema::ValidationError& error) {
        return Outcome::failure(CDX_E_INVALID_ARGUMENT, error.what(), json{{"field", error.field()}});
    } catch (const std::exception& error) {
        return Outcome::failure(CDX_E_INTERNAL, error.what());
    } catch (...) {
        return Outcome::failure(CDX_E_INTERNAL, "unknown exception in builtin command");
    }
}

}  // namespace clipdex
