// Job visibility in team mode against a real `clipdex serve`: a user sees only their own jobs (someone else's is
// 404 on every route, never 403), an admin sees everyone's.
#include <gtest/gtest.h>

#include "jobs_test_support.hpp"

namespace {

using clipdex::json;
using clipdex::test::TempDir;
using clipdex::test::jobs::pollUntil;
using clipdex::test::jobs::ServeProcess;
using Headers = std::map<std::string, std::string>;

/// Signs up and logs in `email`; returns the Authorization header of its session.
Headers account(const ServeProcess& server, const std::string& email) {
    const json credentials = {{"email", email}, {"password", "correct horse battery"}};
    EXPECT_EQ(server.request("POST", "/api/auth/signup", credentials).status, 200);
    const auto login = server.request("POST", "/api/auth/login", credentials);
    EXPECT_EQ(login.status, 200) << login.text;
    for (const std::string& cookie : login.cookies)
        if (cookie.rfind("clipdex_session=", 0) == 0) {
            const std::string token = cookie.substr(16, cookie.find(';') - 16);
            return {{"Authorization", "Bearer " + token}};
        }
    ADD_FAILURE() << "no session cookie for " << email;
    return {};
}

bool listed(const json& reply, const std::string& id) {
    for (const json& job : reply["data"]["jobs"])
        if (job["job_id"] == id) return true;
    return false;
}

TEST(JobsTeam, AUserSeesOnlyTheirJobsAndAnAdminSeesAll) {
    TempDir home;
    clipdex::test::jobs::makeClips(home / "clips", 2);
    ServeProcess server(home, {{"CLIPDEX_AUTH_MODE", "team"}});
    ASSERT_TRUE(server.start());
    const Headers admin = account(server, "admin@example.com");  // the first account is the admin
    const Headers alice = account(server, "alice@example.com");
    const Headers bob = account(server, "bob@example.com");

    const auto submitted = server.request("POST", "/api/ingest", json{{"directory", (home / "clips").string()}}, alice);
    ASSERT_EQ(submitted.status, 202) << submitted.text;
    const std::string id = submitted.body["job_id"].get<std::string>();
    EXPECT_EQ(server.request("GET", "/api/progress/" + id).status, 401) << "no identity in team mode";

    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/api/progress/" + id}, {"GET", "/api/jobs/" + id}, {"DELETE", "/api/ingest/" + id}}) {
        const auto reply = server.request(method, path, nullptr, bob);
        EXPECT_EQ(reply.status, 404) << method << " " << path << ": " << reply.text;
        EXPECT_EQ(reply.body["code"], "JOB_NOT_FOUND") << reply.text;
    }
    EXPECT_FALSE(listed(server.request("GET", "/api/jobs", nullptr, bob).body, id));
    EXPECT_EQ(server.request("GET", "/api/progress", nullptr, bob).body["status"], "idle");
    EXPECT_EQ(server.request("GET", "/api/ingest/results", nullptr, bob).body["count"], 0);

    EXPECT_EQ(server.request("GET", "/api/jobs/" + id, nullptr, admin).status, 200);
    EXPECT_TRUE(listed(server.request("GET", "/api/jobs", nullptr, admin).body, id));
    EXPECT_TRUE(listed(server.request("GET", "/api/jobs", nullptr, alice).body, id));

    json last;
    ASSERT_TRUE(pollUntil(
        server, "/api/progress/" + id,
        [](const json& progress) { return progress.value("job_status", "") == "completed"; }, alice,
        [&last](const json& progress) { last = progress; }));
    EXPECT_EQ(last["user_id"], server.request("GET", "/api/jobs/" + id, nullptr, alice).body["data"]["user_id"]);
    EXPECT_EQ(last["processed_count"], 2) << last.dump();
    EXPECT_EQ(server.request("GET", "/api/progress/" + id, nullptr, admin).body["job_status"], "completed");
}

}  // namespace
