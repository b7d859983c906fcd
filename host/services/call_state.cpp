#include "services/call_state.hpp"

#include <spdlog/spdlog.h>

#include "core/status.hpp"

namespace clipdex {
namespace {
std::string_view view(cdx_str text) noexcept {
    return text.ptr ? std::string_view(text.ptr, text.len) : std::string_view();
}
}  // namespace

CallState::CallState(std::string plugin_id, Invocation& invocation)
    : plugin_id_(std::move(plugin_id)), invocation_(invocation) {
    abi_.struct_size = sizeof(cdx_call);
    abi_.host_data = this;
    abi_.request_id = cdx_str{invocation_.request_id.data(), invocation_.request_id.size()};
    abi_.principal_json = cdx_str{invocation_.principal_json.data(), invocation_.principal_json.size()};
    abi_.write_result = &CallState::writeResult;
    abi_.emit = &CallState::emit;
    abi_.fail = &CallState::fail;
}

CallState* CallState::from(const cdx_call* call) noexcept {
    return call != nullptr ? static_cast<CallState*>(call->host_data) : nullptr;
}

void CallState::recordFailure(cdx_status status, std::string message) {
    failed_ = true;
    fail_status_ = status;
    fail_message_ = std::move(message);
}

cdx_status CDX_CALL CallState::writeResult(const cdx_call* self, cdx_str chunk) noexcept {
    CallState* state = from(self);
    if (state->result_.size() + chunk.len > kMaxResultBytes) return CDX_E_UNSUPPORTED;
    try {
        state->result_.append(view(chunk));
        return CDX_OK;
    } catch (...) {
        return CDX_E_INTERNAL;
    }
}

cdx_status CDX_CALL CallState::emit(const cdx_call* self, cdx_str record_text) noexcept {
    CallState* state = from(self);
    try {
        const std::string_view text = view(record_text);
        json record = json::parse(text.begin(), text.end(), nullptr, false);
        if (record.is_discarded()) {
            spdlog::warn("plugin {} streamed a record that is not valid JSON; dropped", state->plugin_id_);
            return CDX_E_INVALID_ARGUMENT;
        }
        std::lock_guard lock(state->records_mutex_);
        if (state->invocation_.on_record) {
            state->invocation_.on_record(record);
        } else {
            state->records_.push_back(std::move(record));
        }
        return CDX_OK;
    } catch (...) {
        return CDX_E_INTERNAL;
    }
}

void CDX_CALL CallState::fail(const cdx_call* self, cdx_status code, cdx_str message, cdx_str details) noexcept {
    CallState* state = from(self);
    try {
        state->failed_ = true;
        state->fail_status_ = code;
        state->fail_message_.assign(view(message));
        state->fail_details_.assign(view(details));
    } catch (...) {
        state->failed_ = true;
        state->fail_status_ = code;
    }
}

Outcome CallState::finish(cdx_status returned) {
    if (returned != CDX_OK || failed_) {
        cdx_status status = returned != CDX_OK ? returned : fail_status_;
        if (status == CDX_OK) status = CDX_E_INTERNAL;
        if (returned == CDX_OK)
            spdlog::warn("plugin {} reported a failure but returned OK; treated as failure", plugin_id_);
        std::string message = fail_message_;
        if (message.empty()) message = "plugin " + plugin_id_ + " failed with " + std::string(statusName(status));
        json details = json::parse(fail_details_.begin(), fail_details_.end(), nullptr, false);
        if (!details.is_object()) details = json::object();
        if (status == CDX_E_CANCELLED && invocation_.cancel->deadlinePassed()) status = CDX_E_TIMEOUT;
        return Outcome::failure(status, std::move(message), std::move(details));
    }
    Outcome outcome;
    if (!result_.empty()) {
        outcome.result = json::parse(result_.begin(), result_.end(), nullptr, false);
        if (outcome.result.is_discarded()) {
            spdlog::error("plugin {} returned a result that is not valid JSON ({} bytes)", plugin_id_, result_.size());
            return Outcome::failure(CDX_E_INTERNAL,
                                    "plugin " + plugin_id_ + " returned a result that is not valid JSON");
        }
    }
    std::lock_guard lock(records_mutex_);
    outcome.records = std::move(records_);
    return outcome;
}

}  // namespace clipdex
