// The host side of one cdx_call: collects the result, streamed records and failure from a plugin,
// and turns them into an Outcome. Services recover it from the cdx_call they are handed.
#pragma once

#include <clipdex/abi.h>

#include <mutex>
#include <string>

#include "core/command.hpp"

namespace clipdex {

class CallState {
public:
    CallState(std::string plugin_id, Invocation& invocation);
    CallState(const CallState&) = delete;
    CallState& operator=(const CallState&) = delete;

    const cdx_call* abi() const noexcept { return &abi_; }
    /// Builds the outcome once the plugin function returned `returned`.
    Outcome finish(cdx_status returned);

    static CallState* from(const cdx_call* call) noexcept;
    Invocation& invocation() noexcept { return invocation_; }
    const std::string& pluginId() const noexcept { return plugin_id_; }
    /// Records a failure from the host side of a service call (e.g. a catalog error).
    void recordFailure(cdx_status status, std::string message);

    static constexpr std::size_t kMaxResultBytes = 256u << 20;

private:
    static cdx_status CDX_CALL writeResult(const cdx_call* self, cdx_str chunk) noexcept;
    static cdx_status CDX_CALL emit(const cdx_call* self, cdx_str record) noexcept;
    static void CDX_CALL fail(const cdx_call* self, cdx_status code, cdx_str message, cdx_str details) noexcept;

    std::string plugin_id_;
    Invocation& invocation_;
    cdx_call abi_{};
    std::string result_;
    std::mutex records_mutex_;
    std::vector<json> records_;
    bool failed_ = false;
    cdx_status fail_status_ = CDX_OK;
    std::string fail_message_;
    std::string fail_details_;
};

}  // namespace clipdex
