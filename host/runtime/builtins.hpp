// Commands the host itself provides: plugin introspection and `serve`.
#pragma once

#include "runtime/runtime.hpp"

namespace clipdex {

/// Registers `plugins list`, `plugins info ID` and `serve` with the runtime's registry.
void registerBuiltins(Runtime& runtime);

}  // namespace clipdex
