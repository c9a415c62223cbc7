#include <doctest/doctest.h>

#include <sys/wait.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <csignal>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chat_program.hpp"
#include "dream/servers/beast/server.hpp"
#include "http_client.hpp"
#include "router.hpp"
#include "services.hpp"
#include "sse_client.hpp"
#include "support.hpp"
#include "ws_client.hpp"

using namespace test_support;
namespace server = dream::servers::beast;

namespace {

// The chat app in-process, on a free port, with the assets from the source tree.
struct ChatApp {
  explicit ChatApp(std::optional<std::string> token = std::nullopt,
                   std::chrono::milliseconds stats_interval = std::chrono::seconds(1))
      : services(chat::initialize(runtime, DREAM_SOURCE_DIR "/apps/websocket_chat/assets",
                                  std::move(token), stats_interval)),
        handle(server::create()
                   .services(services)
                   .runtime(runtime)
                   .router(chat::create_router())
                   .start(0)) {}
  std::uint16_t port() const { return handle.port(); }

  dream::Runtime runtime;
  chat::Services services;
  server::ServerHandle handle;
};

// One chat event as parsed JSON: {"type":…, "user":…, "text":…}.
struct ChatEvent {
  std::string type;
  std::string user;
  std::string text;
  bool operator==(const ChatEvent&) const = default;
};

std::optional<ChatEvent> next_event(WsClient& client) {
  auto frame = client.receive();
  if (!frame) {
    return std::nullopt;
  }
  auto json = boost::json::parse(frame->data).as_object();
  ChatEvent event{std::string(json.at("type").as_string()),
                  std::string(json.at("user").as_string()), ""};
  if (auto* text = json.if_contains("text")) {
    event.text = std::string(text->as_string());
  }
  return event;
}

// The next event that is not a join notice (joins of later clients may come first).
std::optional<ChatEvent> next_non_join(WsClient& client) {
  for (;;) {
    auto event = next_event(client);
    if (!event || event->type != "joined") {
      return event;
    }
  }
}

std::unique_ptr<WsClient> join(const ChatApp& app, const std::string& user) {
  auto client = std::make_unique<WsClient>(app.port(), "/chat?user=" + user);
  return client;
}

}  // namespace

TEST_SUITE("chat") {
  TEST_CASE("the page and its assets") {
    ChatApp app;
    HttpClient http(app.port());
    auto page = http.request("GET", "/");
    CHECK(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    CHECK(page.body.find("Dream WebSocket Chat") != std::string::npos);
    CHECK(page.body.find("Enter your name to join the chat") != std::string::npos);
    auto js = http.request("GET", "/assets/scripts/chat.js");
    CHECK(js.status == 200);
    CHECK(js.header("Content-Type") == "text/javascript; charset=utf-8");
    auto css = http.request("GET", "/assets/styles/chat.css");
    CHECK(css.status == 200);
    CHECK(css.header("Content-Type") == "text/css; charset=utf-8");
    CHECK(css.body.find(".welcome-screen") != std::string::npos);
  }

  TEST_CASE("the dashboard: its page, and live numbers on GET /stats as Server-Sent Events") {
    ChatApp app(std::nullopt, std::chrono::milliseconds(20));
    HttpClient http(app.port());
    auto page = http.request("GET", "/dashboard");
    CHECK(page.status == 200);
    CHECK(page.body.find("Dream Chat Dashboard") != std::string::npos);
    CHECK(page.body.find("/assets/scripts/dashboard.js") != std::string::npos);
    CHECK(http.request("GET", "/assets/scripts/dashboard.js").status == 200);

    SseClient stats(app.port(), "/stats");
    REQUIRE(stats.status() == 200);
    CHECK(stats.header("Content-Type").rfind("text/event-stream", 0) == 0);
    // Reads "stats" events until one satisfies `wanted` (each tick sends one); what was last
    // seen is kept for the failure message.
    std::string last;
    auto until = [&](auto wanted) {
      for (int tick = 0; tick < 1000; ++tick) {
        auto block = stats.next_block(patience);
        if (!block) {
          return false;
        }
        const auto data = block->find("\ndata: ");
        if (block->rfind("event: stats\n", 0) != 0 || data == std::string::npos) {
          continue;  // a heartbeat comment
        }
        last = block->substr(data + 7, block->find('\n', data + 7) - data - 7);
        const auto json = boost::json::parse(last).as_object();
        if (wanted(json.at("users").to_number<std::uint64_t>(),
                   json.at("messages").to_number<std::uint64_t>())) {
          return true;
        }
      }
      return false;
    };
    CHECK_MESSAGE(until([](auto users, auto) { return users == 0; }), "last seen: ", last);
    auto alice = join(app, "Alice");
    CHECK(next_event(*alice) == ChatEvent{"joined", "Alice", ""});
    auto bob = join(app, "Bob");
    CHECK(next_event(*alice) == ChatEvent{"joined", "Bob", ""});
    bob->send_text("one");
    bob->send_text("two");
    CHECK_MESSAGE(until([](auto users, auto messages) { return users == 2 && messages == 2; }),
                  "last seen: ", last);
    bob->close();
    CHECK_MESSAGE(until([](auto users, auto messages) { return users == 1 && messages == 2; }),
                  "last seen: ", last);
  }

  TEST_CASE("join, message and leave, as Dream's protocol has them") {
    ChatApp app;
    auto alice = join(app, "Alice");
    CHECK(alice->receive_text() == R"({"type":"joined","user":"Alice"})");
    auto bob = join(app, "Bob");
    CHECK(alice->receive_text() == R"({"type":"joined","user":"Bob"})");
    CHECK(bob->receive_text() == R"({"type":"joined","user":"Bob"})");
    bob->send_text("Hi Alice!");
    const auto hi = R"({"type":"message","user":"Bob","text":"Hi Alice!"})";
    CHECK(alice->receive_text() == hi);
    CHECK(bob->receive_text() == hi);  // the sender gets its own message too
    bob->close();
    CHECK(alice->receive_text() == R"({"type":"left","user":"Bob"})");
  }

  TEST_CASE("a missing name is Anonymous") {
    ChatApp app;
    WsClient anonymous(app.port(), "/chat");
    CHECK(next_event(anonymous) == ChatEvent{"joined", "Anonymous", ""});
  }

  TEST_CASE("unicode names and JSON escaping round-trip exactly") {
    ChatApp app;
    WsClient client(app.port(), "/chat?user=J%C3%BCrgen%20%E2%9C%93%20%22q%22");
    const std::string name = "Jürgen ✓ \"q\"";
    CHECK(next_event(client) == ChatEvent{"joined", name, ""});
    const std::string tricky =
        "quote \" backslash \\ newline \n tab \t bell \x07 ünïcödé 🎉 </script>";
    client.send_text(tricky);
    CHECK(next_event(client) == ChatEvent{"message", name, tricky});
  }

  TEST_CASE("a name that is not UTF-8 is refused with 400; the others carry on") {
    ChatApp app;
    WsClient alice(app.port(), "/chat?user=Alice");
    CHECK(next_event(alice) == ChatEvent{"joined", "Alice", ""});
    CHECK(WsClient::handshake_status(app.port(), "/chat?user=%FF") == 400);
    CHECK(WsClient::handshake_status(app.port(), "/chat?user=%C0%AF") == 400);     // overlong
    CHECK(WsClient::handshake_status(app.port(), "/chat?user=%ED%A0%80") == 400);  // surrogate
    alice.send_text("still here");
    CHECK(next_event(alice) == ChatEvent{"message", "Alice", "still here"});
  }

  TEST_CASE("binary frames are ignored and the connection stays usable") {
    ChatApp app;
    WsClient client(app.port(), "/chat?user=Bin");
    auto joined = next_event(client);
    REQUIRE(joined.has_value());
    CHECK(joined->type == "joined");
    client.send_binary(std::string("\x01\x02", 2));
    client.send_text("after binary");
    CHECK(next_event(client) == ChatEvent{"message", "Bin", "after binary"});
  }

  TEST_CASE("an abrupt disconnect still produces 'left'") {
    ChatApp app;
    auto watcher = join(app, "Watcher");
    CHECK(next_event(*watcher) == ChatEvent{"joined", "Watcher", ""});
    auto quitter = join(app, "Quitter");
    CHECK(next_event(*watcher) == ChatEvent{"joined", "Quitter", ""});
    quitter->drop();
    CHECK(next_event(*watcher) == ChatEvent{"left", "Quitter", ""});
  }

  TEST_CASE("50 clients all receive 200 messages from one sender, in order") {
    ChatApp app;
    std::vector<std::unique_ptr<WsClient>> listeners;
    for (int i = 0; i < 50; ++i) {
      listeners.push_back(join(app, "listener" + std::to_string(i)));
    }
    // Every listener has seen its own join before the sender starts.
    for (int i = 0; i < 50; ++i) {
      std::optional<ChatEvent> event;
      do {
        event = next_event(*listeners[i]);
      } while (event && event->user != "listener" + std::to_string(i));
      REQUIRE(event.has_value());
    }
    auto sender = join(app, "sender");
    for (int m = 0; m < 200; ++m) {
      sender->send_text("message " + std::to_string(m));
    }
    int wrong = 0;
    for (auto& listener : listeners) {
      for (int m = 0; m < 200; ++m) {
        auto event = next_non_join(*listener);
        wrong +=
            !(event && *event == ChatEvent{"message", "sender", "message " + std::to_string(m)});
      }
    }
    CHECK(wrong == 0);
  }

  TEST_CASE("with a token, the upgrade needs it: 401 otherwise") {
    ChatApp app("s3cret");
    CHECK(WsClient::handshake_status(app.port(), "/chat?user=Mallory") == 401);
    CHECK(WsClient::handshake_status(app.port(), "/chat?user=Mallory&token=wrong") == 401);
    WsClient by_query(app.port(), "/chat?user=Alice&token=s3cret");
    CHECK(next_event(by_query) == ChatEvent{"joined", "Alice", ""});
    WsClient by_header(app.port(), "/chat?user=Bob", {{"Authorization", "Bearer s3cret"}});
    CHECK(next_event(by_header) == ChatEvent{"joined", "Bob", ""});
  }
}

TEST_SUITE("chat_program") {
  TEST_CASE("SIGINT: every client gets 1001 and the program exits 0") {
    ChatProgram program(DREAM_CHAT_PROGRAM, {});
    WsClient alice(program.port(), "/chat?user=Alice");
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Alice"})");
    WsClient bob(program.port(), "/chat?user=Bob");
    // Each has its own join notice: both connections are processes before the signal.
    CHECK(bob.receive_text() == R"({"type":"joined","user":"Bob"})");
    // Both clients read, so each answers the server's close.
    std::uint16_t alice_code = 0;
    std::uint16_t bob_code = 0;
    std::thread alice_reader([&] { alice_code = alice.wait_for_close(); });
    std::thread bob_reader([&] { bob_code = bob.wait_for_close(); });
    const int status = program.stop_with(SIGINT);
    alice_reader.join();
    bob_reader.join();
    CHECK(alice_code == 1001);
    CHECK(bob_code == 1001);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // Each disconnect was logged, with its close code, before the program exited.
    const std::string rest = program.output();
    INFO("the program's output:\n" << rest);
    CHECK(rest.find(R"("Alice" disconnected (close code 1001))") != std::string::npos);
    CHECK(rest.find(R"("Bob" disconnected (close code 1001))") != std::string::npos);
  }

  TEST_CASE("only the chat's own page may join from a browser, unless --allow-origin says so") {
    ChatProgram program(DREAM_CHAT_PROGRAM, {"--allow-origin", "https://chat.example"});
    const auto port = program.port();
    const auto status = [port](const std::string& origin) {
      return WsClient::handshake_status(port, "/chat?user=Eve", {{"Origin", origin}});
    };
    CHECK(status("http://evil.example") == 403);
    CHECK(status("https://chat.example") == 101);
    CHECK(status("http://127.0.0.1:" + std::to_string(port)) == 101);  // the page it serves
    ChatProgram closed(DREAM_CHAT_PROGRAM, {});
    CHECK(WsClient::handshake_status(closed.port(), "/chat?user=Eve",
                                     {{"Origin", "https://chat.example"}}) == 403);
    // A value that is not an origin is a usage error: the program does not start.
    CHECK_THROWS_AS(ChatProgram(DREAM_CHAT_PROGRAM, {"--allow-origin", "chat.example"}),
                    std::runtime_error);
  }

  TEST_CASE("--token: the upgrade is refused with 401 without it; SIGTERM exits 0") {
    ChatProgram program(DREAM_CHAT_PROGRAM, {"--token", "s3cret"});
    CHECK(WsClient::handshake_status(program.port(), "/chat?user=Mallory") == 401);
    WsClient alice(program.port(), "/chat?user=Alice&token=s3cret");
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Alice"})");
    std::uint16_t code = 0;
    std::thread reader([&] { code = alice.wait_for_close(); });  // answers the server's close
    const int status = program.stop_with(SIGTERM);
    reader.join();
    CHECK(code == 1001);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}
