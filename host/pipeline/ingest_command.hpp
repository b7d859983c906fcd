// The `ingest` host command (CLI `clipdex ingest DIR`, HTTP POST /api/ingest): scan, plan, execute, report.
#pragma once

namespace clipdex {
class Runtime;

/// Registers `ingest`. Call after the plugins are loaded: --enable/--disable list the loaded steps as choices.
void registerIngest(Runtime& runtime);

}  // namespace clipdex
