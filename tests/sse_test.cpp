#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "dream/servers/beast/server.hpp"
#include "dream/servers/beast/sse.hpp"
#include "dream/services/broadcaster.hpp"
#include "http_client.hpp"
#include "sse_client.hpp"
#include "support.hpp"

using namespace dream;
using namespace dream::http;
using namespace dream::process;
using namespace dream::servers::beast::sse;
using namespace test_support;
namespace server = dream::servers::beast;
namespace broadcaster = dream::services::broadcaster;

namespace {

// --- the app under test: every connection reports to the test, which feeds it -------------
// What a connection is asked to do: send an event, replay from its resume point, stop, throw.
struct Feed {
  std::string data;
  std::optional<std::string> name;
  std::optional<std::string> id;
  std::optional<std::uint32_t> retry;
  std::string command;  // "", "replay", "stop", "throw", "flood" (data: how many events)
};
// What a connection tells the test: it started (with its own subject and Last-Event-ID), or
// on_close ran.
struct Report {
  std::string kind;  // "init", "closed"
  std::string user;
  std::string last_event_id;
  std::optional<Subject<Feed>> subject;
  std::optional<Pid> pid;
  int count = 0;  // with "flooded": events refused with backpressure
};
struct Services {
  broadcaster::Broadcaster<Feed> bus;
  Subject<Report> reports;
};
struct Dependencies {
  std::string user;
  Services services;
};
struct State {
  std::string user;
  int next_id = 1;  // the replay's first id
};

std::pair<State, std::optional<Selector<Feed>>> on_init(Subject<Feed> self,
                                                        const LastEventId& last_event_id,
                                                        const Dependencies& deps) {
  if (deps.user == "boom") {
    throw std::runtime_error("on_init failure on purpose");
  }
  auto channel = broadcaster::subscribe(deps.services.bus);
  (void)send(deps.services.reports,
             Report{"init", deps.user, last_event_id.value_or("<none>"), self, self.owner()});
  // A client that resumes continues after the last id it saw.
  State state{deps.user, last_event_id ? std::stoi(*last_event_id) + 1 : 1};
  return {state, broadcaster::channel_to_selector(channel)};
}

Action<State, Feed> on_message(State state, const Feed& feed, Connection& connection,
                               const Dependencies& deps) {
  if (feed.command == "stop") {
    return stop_connection();
  }
  if (feed.command == "throw") {
    throw std::runtime_error("handler failure on purpose");
  }
  if (feed.command == "flood") {
    // Sends until the queue refuses, and reports how many events were refused.
    int refused = 0;
    for (int i = 0; i < std::stoi(feed.data); ++i) {
      auto sent = send_event(connection, event(std::string(64 * 1024, 'f')));
      refused += sent.has_error() && sent.error() == SendError::backpressure;
    }
    (void)send(deps.services.reports, Report{"flooded", state.user, {}, {}, {}, refused});
    return continue_connection(state);
  }
  if (feed.command == "replay") {
    for (int i = 0; i < 3; ++i) {
      const auto id = std::to_string(state.next_id++);
      (void)send_event(connection, event_id(event("tick " + id), id));
    }
    return continue_connection(state);
  }
  auto e = event(feed.data);
  if (feed.name) {
    e = event_name(std::move(e), *feed.name);
  }
  if (feed.id) {
    e = event_id(std::move(e), *feed.id);
  }
  if (feed.retry) {
    e = event_retry(std::move(e), *feed.retry);
  }
  (void)send_event(connection, e);
  return continue_connection(state);
}

void on_close(State state, const Dependencies& deps) {
  (void)send(deps.services.reports, Report{"closed", state.user, {}, {}, {}});
}

Response feed(const Request& request, EmptyContext&, const Services& services) {
  return upgrade_to_sse(request,
                        Dependencies{request.query_param("user").value_or("anon"), services},
                        on_init, on_message, on_close);
}

// Dream's form, without on_close.
Response plain_feed(const Request& request, EmptyContext&, const Services& services) {
  return upgrade_to_sse(request, Dependencies{"plain", services}, on_init, on_message);
}

// CORS as a middleware adds it: on whatever the route answers.
Response cors(const Request& request, EmptyContext& context, const Services& services,
              const Router<EmptyContext, Services>::Next& next) {
  auto response = next(request, context, services);
  response.headers.set("Access-Control-Allow-Origin", "*");
  return response;
}

Router<EmptyContext, Services> app() {
  return router<EmptyContext, Services>()
      .route(Method::Get, "/events", feed)
      .route(Method::Get, "/cors", feed, {cors})
      .route(Method::Get, "/plain", plain_feed);
}

// True when upgrade_to_sse accepts an on_message of type F.
template <class F>
concept UpgradesWith = requires(const Request& r, Services s, F f) {
  upgrade_to_sse<State, Feed, Dependencies>(r, Dependencies{"x", s}, on_init, f, on_close);
};

// A server with its own runtime, broadcaster and report inbox.
struct SseServer {
  explicit SseServer(server::ServerConfig config = {})
      : handle(server::create()
                   .services(Services{bus, reports})
                   .runtime(runtime)
                   .config(config)
                   .router(app())
                   .start(0)) {}

  std::uint16_t port() const { return handle.port(); }

  // The next report of `kind` for `user`; fails the test after patience.
  Report expect(const std::string& kind, const std::string& user) {
    for (auto it = seen.begin(); it != seen.end(); ++it) {
      if (it->kind == kind && it->user == user) {
        Report report = *it;
        seen.erase(it);
        return report;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
      auto report = inbox.receive(reports, patience);
      REQUIRE(report.has_value());
      if (report->kind == kind && report->user == user) {
        return *report;
      }
      seen.push_back(*report);
    }
    FAIL("no '" << kind << "' report for " << user);
    return {};
  }
  // How many more `kind` reports for `user` arrive within the quiet window.
  int more(const std::string& kind, const std::string& user) {
    int n = 0;
    while (auto report = inbox.receive(reports, quiet)) {
      n += report->kind == kind && report->user == user;
    }
    for (const auto& r : seen) {
      n += r.kind == kind && r.user == user;
    }
    seen.clear();
    return n;
  }

  Runtime runtime;
  Inbox inbox{runtime};
  Subject<Report> reports = inbox.new_subject<Report>();
  broadcaster::Broadcaster<Feed> bus = broadcaster::start_broadcaster<Feed>(runtime).value();
  std::vector<Report> seen;
  server::ServerHandle handle;
};

}  // namespace

TEST_SUITE("sse") {
  TEST_CASE("events built with event/event_name/event_id/event_retry serialise per the spec") {
    CHECK(serialize(event("hello")) == "data: hello\n\n");
    CHECK(serialize(event_retry(event_id(event_name(event("x"), "greeting"), "7"), 2500)) ==
          "event: greeting\nid: 7\nretry: 2500\ndata: x\n\n");
    // Every line break (LF, CRLF, CR) ends a data line; an empty line stays a data line.
    CHECK(serialize(event("a\nb\r\nc\rd\n\ne")) ==
          "data: a\ndata: b\ndata: c\ndata: d\ndata: \ndata: e\n\n");
    // A name or id cannot add fields (or, with NUL, make the client drop the id).
    CHECK(serialize(event_id(event("x"), std::string("1\r\nevent: evil\n\0", 17))) ==
          "id: 1event: evil\ndata: x\n\n");
    CHECK(serialize(event_name(event("x"), "a\r\nretry: 1")) == "event: aretry: 1\ndata: x\n\n");
    // Fields set directly on the struct are cleaned too.
    Event raw = event("x");
    raw.id = "2\ndata: injected";
    CHECK(serialize(raw) == "id: 2data: injected\ndata: x\n\n");
  }

  TEST_CASE("events sent through on_init's subject arrive in order, as serialised") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/events?user=ann");
    CHECK(client.status() == 200);
    CHECK(client.header("Content-Type") == "text/event-stream");
    CHECK(client.header("Cache-Control") == "no-cache");
    CHECK(client.header("Content-Length").empty());
    auto init = sse_server.expect("init", "ann");
    CHECK(init.last_event_id == "<none>");
    REQUIRE(init.subject.has_value());
    // Pushed from the test's own thread, as any other code would.
    REQUIRE(send(*init.subject, Feed{"one", "greeting", "1", 2500, ""}).has_value());
    REQUIRE(
        send(*init.subject, Feed{"two", std::nullopt, std::nullopt, std::nullopt, ""}).has_value());
    REQUIRE(send(*init.subject, Feed{"three", "update", "3", std::nullopt, ""}).has_value());
    CHECK(client.next_block(patience) == "event: greeting\nid: 1\nretry: 2500\ndata: one\n\n");
    CHECK(client.next_block(patience) == "data: two\n\n");
    CHECK(client.next_block(patience) == "event: update\nid: 3\ndata: three\n\n");
  }

  TEST_CASE("a broadcaster subscription through the selector reaches every connection") {
    SseServer sse_server;
    SseClient ann(sse_server.port(), "/events?user=ann");
    SseClient bob(sse_server.port(), "/events?user=bob");
    sse_server.expect("init", "ann");
    sse_server.expect("init", "bob");
    REQUIRE(broadcaster::publish(sse_server.bus,
                                 Feed{"news", "headline", std::nullopt, std::nullopt, ""})
                .has_value());
    CHECK(ann.next_block(patience) == "event: headline\ndata: news\n\n");
    CHECK(bob.next_block(patience) == "event: headline\ndata: news\n\n");
  }

  TEST_CASE("Last-Event-ID reaches on_init, and the stream resumes after it") {
    SseServer sse_server;
    {
      SseClient first(sse_server.port(), "/events?user=first");
      auto init = sse_server.expect("init", "first");
      CHECK(init.last_event_id == "<none>");
      REQUIRE(send(*init.subject, Feed{{}, {}, {}, {}, "replay"}).has_value());
      CHECK(first.next_block(patience) == "id: 1\ndata: tick 1\n\n");
      CHECK(first.next_block(patience) == "id: 2\ndata: tick 2\n\n");
    }
    // The client reconnects saying the last event it got was 2.
    SseClient again(sse_server.port(), "/events?user=again", {{"Last-Event-ID", "2"}});
    auto init = sse_server.expect("init", "again");
    CHECK(init.last_event_id == "2");
    REQUIRE(send(*init.subject, Feed{{}, {}, {}, {}, "replay"}).has_value());
    CHECK(again.next_block(patience) == "id: 3\ndata: tick 3\n\n");
    CHECK(again.next_block(patience) == "id: 4\ndata: tick 4\n\n");
    CHECK(again.next_block(patience) == "id: 5\ndata: tick 5\n\n");
  }

  TEST_CASE("an idle connection gets keep-alive comments at the configured interval") {
    server::ServerConfig config;
    config.sse_heartbeat_interval = std::chrono::milliseconds(50);
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=idle");
    CHECK(client.next_block(patience) == ": keep-alive\n\n");
    CHECK(client.next_block(patience) == ": keep-alive\n\n");
    // Events still go through between heartbeats.
    auto init = sse_server.expect("init", "idle");
    REQUIRE(send(*init.subject, Feed{"awake", {}, {}, {}, ""}).has_value());
    std::optional<std::string> block;
    do {
      block = client.next_block(patience);
    } while (block == ": keep-alive\n\n");
    CHECK(block == "data: awake\n\n");
  }

  TEST_CASE("no heartbeats when the interval is zero") {
    server::ServerConfig config;
    config.sse_heartbeat_interval = std::chrono::milliseconds(0);
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=quiet");
    auto init = sse_server.expect("init", "quiet");
    CHECK_FALSE(client.next_block(quiet).has_value());
    REQUIRE(send(*init.subject, Feed{"only this", {}, {}, {}, ""}).has_value());
    CHECK(client.next_block(patience) == "data: only this\n\n");
  }

  TEST_CASE("a client that goes away stops the actor, and on_close runs exactly once") {
    // No heartbeat: the server can only learn of the drop from its pending read.
    server::ServerConfig config;
    config.sse_heartbeat_interval = std::chrono::milliseconds(0);
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=gone");
    auto init = sse_server.expect("init", "gone");
    REQUIRE(init.pid.has_value());
    sse_server.inbox.monitor(*init.pid);
    CHECK(sse_server.more("closed", "gone") == 0);  // an idle client is not taken for gone
    client.drop();
    sse_server.expect("closed", "gone");
    auto down = sse_server.inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == *init.pid);
    CHECK(send(*init.subject, Feed{"too late", {}, {}, {}, ""}).has_error());
    CHECK(sse_server.more("closed", "gone") == 0);
  }

  TEST_CASE("without on_close (Dream's form) events flow and a drop still stops the actor") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/plain");
    auto init = sse_server.expect("init", "plain");
    sse_server.inbox.monitor(*init.pid);
    REQUIRE(send(*init.subject, Feed{"hi", {}, {}, {}, ""}).has_value());
    CHECK(client.next_block(patience) == "data: hi\n\n");
    client.drop();
    auto down = sse_server.inbox.receive_down(patience);
    REQUIRE(down.has_value());
    CHECK(down->pid == *init.pid);
    CHECK(sse_server.more("closed", "plain") == 0);
  }

  TEST_CASE("stop_connection sends what was queued, then ends the stream; on_close once") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/events?user=done");
    auto init = sse_server.expect("init", "done");
    REQUIRE(send(*init.subject, Feed{"last words", {}, {}, {}, ""}).has_value());
    REQUIRE(send(*init.subject, Feed{{}, {}, {}, {}, "stop"}).has_value());
    CHECK(client.closed_within(patience));
    CHECK(client.next_block(patience) == "data: last words\n\n");
    sse_server.expect("closed", "done");
    CHECK(sse_server.more("closed", "done") == 0);
  }

  TEST_CASE("a handler that throws ends its connection, on_close runs; others carry on") {
    SseServer sse_server;
    SseClient doomed(sse_server.port(), "/events?user=doomed");
    SseClient bystander(sse_server.port(), "/events?user=bystander");
    auto init = sse_server.expect("init", "doomed");
    auto other = sse_server.expect("init", "bystander");
    REQUIRE(send(*init.subject, Feed{{}, {}, {}, {}, "throw"}).has_value());
    CHECK(doomed.closed_within(patience));
    sse_server.expect("closed", "doomed");
    REQUIRE(send(*other.subject, Feed{"still here", {}, {}, {}, ""}).has_value());
    CHECK(bystander.next_block(patience) == "data: still here\n\n");
  }

  TEST_CASE("a full outbound queue refuses with backpressure; the connection stays open") {
    server::ServerConfig config;
    config.max_sse_queue_bytes = 256 * 1024;
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=slow");
    auto init = sse_server.expect("init", "slow");
    // 1000 events of 64 KiB (62 MiB) at a client that reads nothing meanwhile.
    REQUIRE(send(*init.subject, Feed{"1000", {}, {}, {}, "flood"}).has_value());
    CHECK(sse_server.expect("flooded", "slow").count > 0);
    // Events that were queued still arrive whole, and the connection still works.
    CHECK(client.next_block(patience) == "data: " + std::string(64 * 1024, 'f') + "\n\n");
    REQUIRE(send(*init.subject, Feed{"after", {}, {}, {}, ""}).has_value());
    std::optional<std::string> block;
    do {
      block = client.next_block(patience);
    } while (block && block->starts_with("data: fff"));
    CHECK(block == "data: after\n\n");
  }

  TEST_CASE("on_init that throws ends the stream; no state, so no on_close") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/events?user=boom");
    CHECK(client.status() == 200);  // the head went out before the process started
    CHECK(client.closed_within(patience));
    CHECK(sse_server.more("closed", "boom") == 0);
  }

  TEST_CASE("headers a middleware sets (CORS) are on the SSE response") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/cors?user=web");
    CHECK(client.status() == 200);
    CHECK(client.header("Access-Control-Allow-Origin") == "*");
    CHECK(client.header("Content-Type") == "text/event-stream");
    auto init = sse_server.expect("init", "web");
    REQUIRE(send(*init.subject, Feed{"cross-origin", {}, {}, {}, ""}).has_value());
    CHECK(client.next_block(patience) == "data: cross-origin\n\n");
  }

  TEST_CASE("multi-line data and an id with CR/LF are sent safely on the wire") {
    SseServer sse_server;
    SseClient client(sse_server.port(), "/events?user=tricky");
    auto init = sse_server.expect("init", "tricky");
    REQUIRE(send(*init.subject,
                 Feed{"line 1\nline 2\r\nline 3", "na\r\nme", "9\r\nevent: injected", {}, ""})
                .has_value());
    CHECK(client.next_block(patience) ==
          "event: name\nid: 9event: injected\ndata: line 1\ndata: line 2\ndata: line 3\n\n");
  }

  TEST_CASE("server stop() ends SSE connections promptly, and on_close runs") {
    server::ServerConfig config;
    // A grace period far beyond the test's patience: stop() returns within patience only if
    // it did not wait it out for this idle stream.
    config.shutdown_timeout = std::chrono::hours(1);
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=ann");
    sse_server.expect("init", "ann");
    auto stopped = std::async(std::launch::async, [&] { sse_server.handle.stop(); });
    REQUIRE(stopped.wait_for(patience) == std::future_status::ready);
    CHECK(client.closed_within(patience));
    sse_server.expect("closed", "ann");
    CHECK(sse_server.more("closed", "ann") == 0);
  }

  TEST_CASE("server stop() writes every event sent before it, then ends the stream") {
    server::ServerConfig config;
    config.max_sse_queue_bytes = 64 * 1024 * 1024;
    SseServer sse_server(config);
    SseClient client(sse_server.port(), "/events?user=bob");
    auto init = sse_server.expect("init", "bob");
    // 400 events of 64 KiB (25 MiB): most still queued in the server, past what the socket
    // buffers take, when stop() begins.
    REQUIRE(send(*init.subject, Feed{"400", {}, {}, {}, "flood"}).has_value());
    REQUIRE(sse_server.expect("flooded", "bob").count == 0);  // every one accepted
    std::thread stopper([&] { sse_server.handle.stop(); });
    int events = 0;
    while (auto block = client.next_block(patience)) {
      events += *block == "data: " + std::string(64 * 1024, 'f') + "\n\n";
    }
    stopper.join();
    CHECK(events == 400);
    sse_server.expect("closed", "bob");
  }

  TEST_CASE("HEAD gets the stream's headers and no stream: no process starts") {
    SseServer sse_server;
    HttpClient client(sse_server.port());
    auto reply = client.request("HEAD", "/events?user=peek");
    CHECK(reply.status == 200);
    CHECK(reply.header("Content-Type") == "text/event-stream");
    CHECK(reply.header("Content-Length").empty());
    CHECK(sse_server.more("init", "peek") == 0);
  }

  TEST_CASE("handlers must be plain functions: a capturing lambda does not compile") {
    int captured = 0;
    auto closure = [&captured](State s, const Feed&, Connection&,
                               const Dependencies&) -> Action<State, Feed> {
      ++captured;
      return continue_connection(s);
    };
    CHECK_FALSE(UpgradesWith<decltype(closure)>);
    CHECK(UpgradesWith<decltype(&on_message)>);
  }
}

TEST_SUITE("interop") {
  TEST_CASE("Python's http.client reads our event stream as an EventSource would") {
    server::ServerConfig config;
    config.sse_heartbeat_interval = std::chrono::milliseconds(20);  // comments in between
    SseServer sse_server(config);
    const std::string command = "/usr/bin/python3 " DREAM_TESTS_DIR "/interop/sse_client.py " +
                                std::to_string(sse_server.port()) + " 2>&1";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    auto init = sse_server.expect("init", "python");
    REQUIRE(send(*init.subject, Feed{"hello\nworld", "greet", "1", {}, ""}).has_value());
    REQUIRE(send(*init.subject, Feed{"bye", {}, {}, {}, ""}).has_value());
    REQUIRE(send(*init.subject, Feed{{}, {}, {}, {}, "stop"}).has_value());
    std::string output;
    char chunk[512];
    while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) {
      output += chunk;
    }
    const int status = ::pclose(pipe);
    INFO(output);
    CHECK(status == 0);
    CHECK(output.find("interop ok") != std::string::npos);
    sse_server.expect("closed", "python");
  }
}
