// The job system seen through the live transports, end to end: a real `clipdex serve` child process runs real
// ingest jobs over ffmpeg-made clips while a /api/ws client (Poco's WebSocket) and the real socket.io-client
// (node, tests/node/socketio_driver.js) watch. Progress must arrive in the panel vocabulary and order, never carry
// a null, end in the state the REST route reports (also for a job resumed after a kill -9), and reach only the
// sockets whose user may see the job.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "integration/jobs_test_support.hpp"
#include "integration/live_progress_test_support.hpp"

namespace {

namespace fs = std::filesystem;
using clipdex::json;
using clipdex::test::TempDir;
using clipdex::test::jobs::nullsIn;
using clipdex::test::jobs::pollUntil;
using clipdex::test::jobs::ServeProcess;
using clipdex::test::jobs::submitIngest;
using clipdex::test::live::SocketIoDriver;
using clipdex::test::live::WsClient;

constexpr int kClips = 3;

/// Position of a panel status in a job's life; -1 for anything outside the vocabulary a live job may show.
int stage(const json& status) {
    static const std::map<std::string, int> order = {
        {"starting", 0}, {"scanning", 1}, {"processing", 2}, {"completed", 3}, {"cancelled", 3}};
    const auto it = status.is_string() ? order.find(status.get<std::string>()) : order.end();
    return it == order.end() ? -1 : it->second;
}

/// The IngestProgress part of a REST progress reply (without the envelope's success, timestamp and data copy).
json withoutEnvelope(json body) {
    for (const char* key : {"success", "timestamp", "data"}) body.erase(key);
    return body;
}

/// Checks a job's successive progress documents: never a null, statuses in order, counts never going back.
class ProgressTrail {
public:
    void add(const json& progress) {
        EXPECT_EQ(nullsIn(progress), std::vector<std::string>{}) << progress.dump();
        const int now = stage(progress["status"]);
        EXPECT_GE(now, 0) << "not a status of a running or finished job: " << progress["status"];
        EXPECT_GE(now, last_stage_) << "status went back to " << progress["status"];
        const int processed = progress.value("processed_count", 0);
        EXPECT_GE(processed, last_processed_) << progress.dump();
        last_stage_ = std::max(last_stage_, now);
        last_processed_ = std::max(last_processed_, processed);
        statuses_.push_back(progress["status"].get<std::string>());
        last_ = progress;
    }
    bool done() const { return stage(last_.value("status", "")) == 3; }
    const json& last() const { return last_; }
    bool saw(const std::string& status) const {
        return std::find(statuses_.begin(), statuses_.end(), status) != statuses_.end();
    }
    std::string statuses() const { return json(statuses_).dump(); }

private:
    int last_stage_ = 0;
    int last_processed_ = 0;
    std::vector<std::string> statuses_;
    json last_ = json::object();
};

class LiveProgress : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        media_ = new TempDir();
        clipdex::test::jobs::makeClips(media_->path() / "first", kClips);
        clipdex::test::jobs::makeClips(media_->path() / "second", kClips);
    }
    static void TearDownTestSuite() { delete media_; }
    /// A job that runs until it is cancelled: fx_slow configured (through --config) to hold each file 10 minutes.
    json endlessJob(const std::string& dir) const {
        const fs::path config = home_ / "endless.json";
        std::ofstream(config) << json{{"steps", {{"fx_slow", {{"enabled", true}, {"config", {{"ms", 600000}}}}}}}};
        return {{"directory", mediaDir(dir)}, {"config", config.string()}, {"parallel_tasks", 1}};
    }
    static std::string mediaDir(const std::string& name) { return fs::canonical(media_->path() / name).string(); }
    /// A job that lasts: one file at a time, each held 250 ms by the steps fixture's fx_slow.
    static json slowJob(const std::string& dir) {
        return {{"directory", mediaDir(dir)}, {"enable", {"fx_slow"}}, {"parallel_tasks", 1}};
    }

    static TempDir* media_;
    TempDir home_;
};
TempDir* LiveProgress::media_ = nullptr;

TEST_F(LiveProgress, ApiWsFollowsARealJobThroughThePanelStatusesToTheRestState) {
    ServeProcess server(home_);
    ASSERT_TRUE(server.start());
    WsClient all(server.port());
    all.send({{"type", "subscribe"}});
    EXPECT_EQ(all.next("subscribed")["progress"]["status"], "idle") << "no job yet";

    const std::string id = submitIngest(server, slowJob("first"));
    ASSERT_FALSE(id.empty());
    WsClient one(server.port());  // follows the job by id, from the middle of its run
    one.send({{"type", "subscribe"}, {"job_id", id}});
    const json subscribed = one.next("subscribed");
    EXPECT_EQ(subscribed["job_id"], id);
    EXPECT_EQ(subscribed["progress"]["task_run_id"], id);
    EXPECT_GE(stage(subscribed["progress"]["status"]), 0) << subscribed.dump();

    ProgressTrail trail;
    while (!trail.done()) {
        const json update = all.next("progress_update");
        ASSERT_FALSE(update.is_null()) << trail.statuses();
        EXPECT_EQ(update["job_id"], id) << "the only job";
        EXPECT_EQ(update["progress"]["task_run_id"], id);
        trail.add(update["progress"]);
    }
    EXPECT_TRUE(trail.saw("processing")) << trail.statuses();
    const json& last = trail.last();
    EXPECT_EQ(last["job_status"], "completed");
    EXPECT_EQ(last["progress"], 100);
    EXPECT_EQ(last["processed_count"], kClips);
    EXPECT_EQ(last["total_count"], kClips);
    EXPECT_EQ(last["failed_count"], 0);

    const auto rest = server.request("GET", "/api/progress/" + id);
    ASSERT_EQ(rest.status, 200) << rest.text;
    EXPECT_EQ(withoutEnvelope(rest.body), last) << "the last live update is the final state";

    json by_id;
    do by_id = one.next("progress_update");
    while (!by_id.is_null() && by_id["progress"]["status"] != "completed");
    ASSERT_FALSE(by_id.is_null());
    EXPECT_EQ(by_id["progress"], last) << "both subscriptions end in the same state";
}

TEST_F(LiveProgress, ApiWsAnnouncesAJobWaitingBehindAnotherAsStarting) {
    ServeProcess server(home_);  // one job at a time (jobs.max_concurrent defaults to 1)
    ASSERT_TRUE(server.start());
    WsClient client(server.port());
    client.send({{"type", "subscribe"}});
    client.next("subscribed");
    const std::string first = submitIngest(server, endlessJob("first"));
    const std::string second = submitIngest(server, slowJob("second"));
    ASSERT_FALSE(first.empty());
    ASSERT_FALSE(second.empty());

    std::map<std::string, ProgressTrail> trails;
    const json announced = client.next("progress_update", [&](const json& update) {
        trails[update["job_id"].get<std::string>()].add(update["progress"]);
        return update["job_id"] == second;
    });
    ASSERT_FALSE(announced.is_null()) << "the queued job must be announced while the first one still runs";
    EXPECT_EQ(announced["progress"]["status"], "starting") << announced.dump();
    EXPECT_EQ(announced["progress"]["job_status"], "queued");
    EXPECT_EQ(announced["progress"]["total_count"], 0) << "not scanned yet";
    EXPECT_FALSE(trails[first].done()) << "the first job runs until it is cancelled";

    ASSERT_EQ(server.request("DELETE", "/api/ingest/" + first).status, 200);
    while (!trails[first].done() || !trails[second].done()) {
        const json update = client.next("progress_update");
        ASSERT_FALSE(update.is_null()) << trails[first].statuses() << trails[second].statuses();
        trails[update["job_id"].get<std::string>()].add(update["progress"]);
    }
    EXPECT_EQ(trails.size(), 2u);
    EXPECT_EQ(trails[first].last()["status"], "cancelled");
    EXPECT_EQ(trails[second].last()["status"], "completed");
    EXPECT_EQ(trails[second].last()["processed_count"], kClips);
    EXPECT_EQ(withoutEnvelope(server.request("GET", "/api/progress/" + second).body), trails[second].last());
}

/// Waits on a socket.io-client for `job`'s ingest_progress_update broadcasts until the job ends, checking each.
ProgressTrail followOverSocketIo(SocketIoDriver& client, const std::string& job) {
    ProgressTrail trail;
    client.waitFor("ingest_progress_update", [&](const json& progress) {
        if (!progress.is_object() || progress.value("task_run_id", "") != job) return false;
        trail.add(progress);
        return trail.done();
    });
    return trail;
}

TEST_F(LiveProgress, SocketIoPanelSeesHttpJobsStartsOneItselfAndQueriesTheClips) {
    ServeProcess server(home_);
    ASSERT_TRUE(server.start());
    SocketIoDriver panel(server.url());
    ASSERT_TRUE(panel.started());
    EXPECT_EQ(panel.waitFor("connect")["transport"], "websocket") << "the SDB panel tries websocket first";
    ASSERT_EQ(panel.waitFor("connection_status")["connected"], true) << panel.dump();

    // A job started over HTTP is broadcast to the panel, in both client generations' events.
    json with_embeddings = slowJob("first");  // (the bundled local providers) for get_similar_videos below
    with_embeddings["generate_embeddings"] = true;
    const std::string id = submitIngest(server, with_embeddings);
    ASSERT_FALSE(id.empty());
    const ProgressTrail trail = followOverSocketIo(panel, id);
    ASSERT_TRUE(trail.done()) << trail.statuses();
    EXPECT_TRUE(trail.saw("processing")) << trail.statuses();
    EXPECT_EQ(trail.last()["processed_count"], kClips);
    EXPECT_EQ(trail.last()["total_count"], kClips);
    EXPECT_EQ(withoutEnvelope(server.request("GET", "/api/progress/" + id).body), trail.last());
    const json second_generation = panel.waitFor("progress_update", [&](const json& update) {
        return update["task_run_id"] == id && update["status"] == "completed";
    });
    EXPECT_EQ(second_generation["data"], trail.last());

    // start_ingest as the panel sends it, answered with the submission; the job then runs like any other.
    panel.emit("start_ingest", {{"requestId", "start-1"},
                                {"directory", mediaDir("second")},
                                {"options",
                                 {{"recursive", true},
                                  {"ai_analysis", false},
                                  {"generate_embeddings", false},
                                  {"store_database", true},
                                  {"force_reprocess", false}}}});
    const json started = panel.reply("start-1");
    ASSERT_EQ(started["event"], "response") << started.dump();
    const json& submission = started["data"]["payload"];
    const std::string started_id = submission.value("job_id", "");
    ASSERT_FALSE(started_id.empty()) << submission.dump();
    EXPECT_EQ(submission["task_run_id"], started_id);
    EXPECT_EQ(submission["directory"], mediaDir("second"));
    const ProgressTrail started_trail = followOverSocketIo(panel, started_id);
    ASSERT_TRUE(started_trail.done()) << started_trail.statuses();
    EXPECT_EQ(started_trail.last()["job_status"], "completed");
    EXPECT_EQ(started_trail.last()["total_count"], kClips);
    EXPECT_EQ(started_trail.last()["processed_count"], kClips) << "duplicates of the first job count as processed";

    // The panel's clip queries, on a clip the first job stored.
    const auto results = server.request("GET", "/api/ingest/results?job_id=" + id);
    ASSERT_EQ(results.status, 200) << results.text;
    ASSERT_FALSE(results.body["results"].empty()) << results.text;
    const json stored = results.body["results"][0];
    const std::string clip_id = stored.value("clip_id", "");
    ASSERT_FALSE(clip_id.empty()) << stored.dump();

    panel.emit("get_video_details", {{"clipId", clip_id}, {"requestId", "details-1"}});
    const json details = panel.reply("details-1");
    ASSERT_EQ(details["event"], "response") << details.dump();
    const json& clip = details["data"]["payload"];
    EXPECT_EQ(clip["id"], clip_id) << clip.dump();
    EXPECT_EQ(clip["file_name"], stored["file_name"]) << clip.dump();
    EXPECT_EQ(clip["local_path"], stored["path"]) << clip.dump();

    panel.emit("get_similar_videos", {{"clipId", clip_id}, {"limit", 5}, {"requestId", "similar-1"}});
    const json similar = panel.reply("similar-1");
    ASSERT_EQ(similar["event"], "response") << similar.dump();
    const json& neighbours = similar["data"]["payload"]["results"];
    ASSERT_TRUE(neighbours.is_array()) << similar.dump();
    EXPECT_FALSE(neighbours.empty()) << "the other clips of the job have embeddings too";
    for (const json& neighbour : neighbours) EXPECT_NE(neighbour["id"], clip_id) << "not the clip itself";

    panel.emit("search_request", {{"query", "clip"}, {"limit", 5}, {"requestId", "search-1"}});
    const json search = panel.reply("search-1");
    ASSERT_EQ(search["event"], "response") << search.dump();
    EXPECT_TRUE(search["data"]["payload"]["results"].is_array()) << search.dump();
}

/// Signs up and logs in `email` (the first account is the admin); returns its session token.
std::string signIn(const ServeProcess& server, const std::string& email) {
    const json credentials = {{"email", email}, {"password", "correct horse battery"}};
    EXPECT_EQ(server.request("POST", "/api/auth/signup", credentials).status, 200);
    const auto login = server.request("POST", "/api/auth/login", credentials);
    for (const std::string& cookie : login.cookies)
        if (cookie.rfind("clipdex_session=", 0) == 0) return cookie.substr(16, cookie.find(';') - 16);
    ADD_FAILURE() << "no session for " << email << ": " << login.text;
    return "";
}

TEST_F(LiveProgress, TeamModeSocketsOnlyCarryJobsTheirUserMaySee) {
    ServeProcess server(home_, {{"CLIPDEX_AUTH_MODE", "team"}});
    ASSERT_TRUE(server.start());
    const std::string admin = signIn(server, "admin@example.com");
    const std::string alice = signIn(server, "alice@example.com");
    const std::string bob = signIn(server, "bob@example.com");
    const auto bearer = [](const std::string& token) {
        return std::map<std::string, std::string>{{"Authorization", "Bearer " + token}};
    };
    WsClient admin_ws(server.port(), bearer(admin));
    WsClient bob_ws(server.port(), bearer(bob));
    for (WsClient* client : {&admin_ws, &bob_ws}) {
        client->send({{"type", "subscribe"}});
        client->next("subscribed");
    }
    SocketIoDriver admin_io(server.url(), admin);
    SocketIoDriver bob_io(server.url(), bob);
    for (SocketIoDriver* client : {&admin_io, &bob_io}) {
        ASSERT_TRUE(client->started());
        ASSERT_EQ(client->waitFor("connection_status")["connected"], true) << client->dump();
    }

    // Alice's job: the admin's sockets follow it to the end; Bob's cannot even subscribe to it.
    const std::string alices = submitIngest(server, slowJob("first"), bearer(alice));
    ASSERT_FALSE(alices.empty());
    json update;
    do update = admin_ws.next("progress_update", [&](const json& u) { return u["job_id"] == alices; });
    while (!update.is_null() && update["progress"]["status"] != "completed");
    ASSERT_FALSE(update.is_null());
    EXPECT_EQ(update["progress"]["processed_count"], kClips);
    EXPECT_TRUE(followOverSocketIo(admin_io, alices).done());
    bob_ws.send({{"type", "subscribe"}, {"job_id", alices}});
    EXPECT_FALSE(bob_ws.next("error")["message"].get<std::string>().empty());
    bob_io.emit("subscribe_progress", {{"task_run_id", alices}, {"requestId", "sub-alice"}});
    EXPECT_EQ(bob_io.waitFor("progress_error")["fallback_to_rest"], true) << bob_io.dump();

    // Bob's own job, started after Alice's ended, reaches his sockets (and the admin's); everything his sockets
    // received up to its end concerns only that job.
    const std::string bobs = submitIngest(server, slowJob("second"), bearer(bob));
    ASSERT_FALSE(bobs.empty());
    ProgressTrail bob_trail;
    while (!bob_trail.done()) {
        const json mine = bob_ws.next("progress_update");
        ASSERT_FALSE(mine.is_null()) << bob_trail.statuses();
        EXPECT_EQ(mine["job_id"], bobs) << "Bob's socket got someone else's job: " << mine.dump();
        bob_trail.add(mine["progress"]);
    }
    EXPECT_EQ(bob_trail.last()["processed_count"], kClips);
    EXPECT_TRUE(followOverSocketIo(bob_io, bobs).done());
    for (const json& line : bob_io.lines()) {
        const std::string event = line.value("event", "");
        if (event != "ingest_progress_update" && event != "progress_update") continue;
        EXPECT_EQ(line["data"]["task_run_id"], bobs) << "Bob's socket.io-client got: " << line.dump();
    }
    EXPECT_TRUE(followOverSocketIo(admin_io, bobs).done()) << "the admin sees every job";
    do update = admin_ws.next("progress_update", [&](const json& u) { return u["job_id"] == bobs; });
    while (!update.is_null() && update["progress"]["status"] != "completed");
    EXPECT_FALSE(update.is_null());
}

TEST_F(LiveProgress, AJobKilledWithItsServerIsFollowedLiveToTheEndAfterTheRestart) {
    std::string id;
    int finished_before = 0;
    {
        ServeProcess server(home_);
        ASSERT_TRUE(server.start());
        WsClient client(server.port());
        client.send({{"type", "subscribe"}});
        client.next("subscribed");
        id = submitIngest(server, slowJob("first"));
        const json midway = client.next(
            "progress_update", [](const json& update) { return update["progress"].value("processed_count", 0) >= 1; });
        ASSERT_FALSE(midway.is_null());
        ASSERT_NE(midway["progress"]["status"], "completed") << "killed while it still runs";
        finished_before = midway["progress"]["processed_count"].get<int>();
        server.kill(SIGKILL);
        EXPECT_TRUE(client.receive().is_null()) << "the socket ends with the process";
    }
    ServeProcess restarted(home_);
    ASSERT_TRUE(restarted.start());
    WsClient client(restarted.port());
    client.send({{"type", "subscribe"}, {"job_id", id}});
    const json snapshot = client.next("subscribed")["progress"];
    EXPECT_GE(snapshot.value("processed_count", 0), finished_before) << "finished files stay finished";
    ProgressTrail trail;
    trail.add(snapshot);
    while (!trail.done()) {
        const json update = client.next("progress_update");
        ASSERT_FALSE(update.is_null()) << trail.statuses();
        trail.add(update["progress"]);
    }
    EXPECT_EQ(trail.last()["job_status"], "completed");
    EXPECT_EQ(trail.last()["processed_count"], kClips);
    EXPECT_EQ(trail.last()["failed_count"], 0);
    EXPECT_EQ(withoutEnvelope(restarted.request("GET", "/api/progress/" + id).body), trail.last());
}

}  // namespace
