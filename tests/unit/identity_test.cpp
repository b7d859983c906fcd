// Who a call acts as: the two auth modes, the command's "auth" declaration, and credentials checked by a real
// auth provider plugin (tests/fixtures/plugins/providers, provider fx_auth).
#include "auth/identity.hpp"

#include <gtest/gtest.h>

#include "runtime/runtime.hpp"
#include "support/test_support.hpp"

namespace {

using clipdex::CommandDecl;
using clipdex::CommandError;
using clipdex::json;
using namespace clipdex::auth;

class IdentityTest : public ::testing::Test {
protected:
    void SetUp() override { runtime_ = clipdex::test::fixtureRuntime("providers", home_ / "catalog.db"); }

    static CommandDecl command(const std::string& auth) {
        CommandDecl decl;
        decl.id = "x";
        decl.auth = auth;
        return decl;
    }

    json principal(Mode mode, const std::string& auth, std::optional<Credential> credential) {
        Identity identity(runtime_->registry(), Settings{mode, "fx_auth"});
        return json::parse(identity.principalFor(command(auth), credential, Caller{"http", "192.0.2.7"}));
    }

    cdx_status refusal(Mode mode, const std::string& auth, std::optional<Credential> credential,
                       const std::string& provider = "fx_auth") {
        Identity identity(runtime_->registry(), Settings{mode, provider});
        try {
            identity.principalFor(command(auth), credential, Caller{"cli", ""});
        } catch (const CommandError& error) {
            return error.status();
        }
        return CDX_OK;
    }

    clipdex::test::TempDir home_;
    std::unique_ptr<clipdex::Runtime> runtime_;
};

TEST_F(IdentityTest, LocalModeActsAsTheLocalAdminWithoutCredentials) {
    const json local = principal(Mode::Local, "required", std::nullopt);
    EXPECT_EQ(local["id"], "local");
    EXPECT_EQ(local["role"], "admin");
    EXPECT_EQ(local["channel"], "http");
    EXPECT_EQ(local["client_ip"], "192.0.2.7");
}

TEST_F(IdentityTest, TeamModeNeedsAnIdentityUnlessTheCommandSaysOtherwise) {
    EXPECT_EQ(refusal(Mode::Team, "required", std::nullopt), CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(principal(Mode::Team, "optional", std::nullopt)["role"], "anonymous");
    EXPECT_EQ(principal(Mode::Team, "none", std::nullopt)["role"], "anonymous");
}

TEST_F(IdentityTest, AValidCredentialBecomesTheProvidersPrincipalInEitherMode) {
    for (Mode mode : {Mode::Local, Mode::Team}) {
        const json user = principal(mode, "required", Credential{"good", "bearer"});
        EXPECT_EQ(user["id"], "u1");
        EXPECT_EQ(user["email"], "u1@example.com");
        EXPECT_EQ(user["channel"], "http");
    }
    // "none" commands (login, signup) never look at credentials.
    EXPECT_EQ(principal(Mode::Team, "none", Credential{"good", "bearer"})["role"], "anonymous");
}

TEST_F(IdentityTest, ARefusedCredentialIsRefusedEvenInLocalModeButOptionalCommandsRunAnonymous) {
    EXPECT_EQ(refusal(Mode::Local, "required", Credential{"stolen", "cookie"}), CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(refusal(Mode::Team, "required", Credential{"stolen", "bearer"}), CDX_E_UNAUTHENTICATED);
    EXPECT_EQ(principal(Mode::Team, "optional", Credential{"stolen", "bearer"})["role"], "anonymous");
}

TEST_F(IdentityTest, AMissingOrFailingProviderIsNotReportedAsBadCredentials) {
    EXPECT_EQ(refusal(Mode::Team, "required", Credential{"good", "bearer"}, "no-such-provider"), CDX_E_UNAVAILABLE);
    EXPECT_EQ(refusal(Mode::Team, "required", Credential{"broken", "bearer"}), CDX_E_IO);
}

TEST(IdentitySettings, ModeComesFromTheEnvironmentOrTheConfig) {
    ::unsetenv("CLIPDEX_AUTH_MODE");
    EXPECT_EQ(settingsFrom(clipdex::Config()).mode, Mode::Local);
    EXPECT_EQ(settingsFrom(clipdex::Config(json{{"auth", {{"mode", "team"}, {"provider", "p"}}}})).mode, Mode::Team);
    EXPECT_EQ(settingsFrom(clipdex::Config(json{{"auth", {{"provider", "p"}}}})).provider, "p");
    ::setenv("CLIPDEX_AUTH_MODE", "team", 1);
    EXPECT_EQ(settingsFrom(clipdex::Config()).mode, Mode::Team);
    ::setenv("CLIPDEX_AUTH_MODE", "open", 1);
    EXPECT_THROW(settingsFrom(clipdex::Config()), std::invalid_argument);
    ::unsetenv("CLIPDEX_AUTH_MODE");
}

}  // namespace
