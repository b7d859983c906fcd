#include "util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>

namespace clipdex::log {

void setup(const std::string& level) {
    const char* env = std::getenv("CLIPDEX_LOG");
    const std::string name = (env != nullptr && env[0] != '\0') ? env : level;
    const auto parsed = spdlog::level::from_str(name);
    // from_str maps unknown names to "off"; only accept "off" when it was asked for.
    if (parsed == spdlog::level::off && name != "off")
        throw std::invalid_argument("unknown log level '" + name + "'; use trace, debug, info, warn, error or off");
    spdlog::drop("clipdex");
    auto logger = spdlog::stderr_color_mt("clipdex");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    logger->set_level(parsed);
    spdlog::set_default_logger(logger);
}

}  // namespace clipdex::log
