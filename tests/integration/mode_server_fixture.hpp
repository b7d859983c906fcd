// A loopback server over the bundled plugins in a chosen auth mode, identifying callers like `clipdex serve`.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "http/http_server.hpp"
#include "runtime/runtime.hpp"
#include "support/http_client.hpp"
#include "support/test_support.hpp"

namespace clipdex::test {

class ModeServerTest : public ::testing::Test {
protected:
    /// `mode`: "local" or "team".
    void start(const char* mode) {
        runtime_ = runtimeInMode(home_ / "catalog.db", mode);
        server_ =
            std::make_unique<http::HttpServer>(runtime_->registry().commands(), identifiedServerOptions(*runtime_));
        server_->start();
    }
    void TearDown() override {
        if (server_) server_->stop();
    }
    std::uint16_t port() const { return server_->port(); }

    TempDir home_;
    std::unique_ptr<Runtime> runtime_;
    std::unique_ptr<http::HttpServer> server_;
};

}  // namespace clipdex::test
