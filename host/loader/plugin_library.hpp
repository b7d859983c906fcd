// Opening a plugin library with Boost.DLL and checking the ABI rule. Libraries are never unloaded.
#pragma once

#include <clipdex/abi.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace clipdex {

/// Why a library cannot be a plugin; what() is one line naming the reason and what to do.
class LoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Maps the library (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) and returns its entry. Throws LoadError.
const cdx_plugin_entry& openPluginLibrary(const std::filesystem::path& path);

/// Checks the entry against the host's ABI. Throws LoadError saying which rule failed.
void checkAbi(const cdx_plugin_entry& entry, unsigned host_major, unsigned host_minor);

}  // namespace clipdex
