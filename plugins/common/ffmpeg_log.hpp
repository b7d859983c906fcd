// Routes libav* log lines into the host log (clipdex.log/1) instead of stderr. Shared by the first-party
// FFmpeg plugins as a header only; each plugin library gets its own copy. libav* has one process-wide
// callback, so the last plugin to install it receives every line; it is removed when that plugin shuts down.
#pragma once

#include <clipdex/plugin.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include <atomic>
#include <cstdarg>
#include <cstring>

namespace clipdex_ffmpeg {

namespace detail {
inline std::atomic<const clipdex::Host*>& target() {
    static std::atomic<const clipdex::Host*> host{nullptr};
    return host;
}

// Errors on damaged input are expected during a scan and are reported per file by the steps, so they go
// to the host log at info (shown with --log-level info); FFmpeg warnings go to debug.
inline cdx_log_level levelFor(int av_level) {
    if (av_level <= AV_LOG_ERROR) return CDX_LOG_INFO;
    if (av_level <= AV_LOG_WARNING) return CDX_LOG_DEBUG;
    return CDX_LOG_TRACE;
}

inline void callback(void* context, int level, const char* format, va_list args) {
    const clipdex::Host* host = target().load(std::memory_order_acquire);
    if (host == nullptr || level > av_log_get_level() || !host->logEnabled(levelFor(level))) return;
    char line[1024];
    int print_prefix = 1;
    va_list copy;
    va_copy(copy, args);
    av_log_format_line2(context, level, format, copy, line, sizeof line, &print_prefix);
    va_end(copy);
    std::size_t length = std::strlen(line);
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) --length;
    if (length == 0) return;
    host->log(levelFor(level), std::string("ffmpeg: ") + std::string(line, length));
}
}  // namespace detail

/// Call from the plugin's constructor; `host` must outlive the matching stopRoutingLogs().
inline void routeLogsTo(const clipdex::Host& host) {
    detail::target().store(&host, std::memory_order_release);
    av_log_set_level(AV_LOG_WARNING);
    av_log_set_callback(&detail::callback);
}

/// Call from the plugin's destructor.
inline void stopRoutingLogs(const clipdex::Host& host) {
    const clipdex::Host* expected = &host;
    if (detail::target().compare_exchange_strong(expected, nullptr)) {
        av_log_set_callback(&av_log_default_callback);
        av_log_set_level(AV_LOG_ERROR);
    }
}

}  // namespace clipdex_ffmpeg
