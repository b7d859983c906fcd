// Commands the host itself provides: plugin introspection and `serve`.
#pragma once

#include "runtime/runtime.hpp"

namespace clipdex {

/// Registers `plugins list`, `plugins info ID` and `serve`, and reserves the server's own routes
/// (/api/health, /api/openapi.json). The Runtime calls it before any plugin loads.
void registerBuiltins(Runtime& runtime);

}  // namespace clipdex
