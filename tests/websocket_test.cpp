#include <doctest/doctest.h>

#include <cstdio>
#include <latch>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "dream/servers/beast/server.hpp"
#include "dream/servers/beast/websocket.hpp"
#include "dream/services/broadcaster.hpp"
#include "http_client.hpp"
#include "support.hpp"
#include "ws_client.hpp"

using namespace dream;
using namespace dream::http;
using namespace dream::process;
using namespace dream::servers::beast::websocket;
using namespace test_support;
namespace server = dream::servers::beast;
namespace broadcaster = dream::services::broadcaster;

namespace {

// --- the app under test: echo, broadcast, stop, throw; every event reported to the test ------
struct Event {
  std::string kind;  // "opened", "connection_closed", "closed"
  std::string user;
  std::uint16_t code = 0;
};
// Lets a test hold a connection's process inside on_message.
struct Gate {
  std::latch entered{1};
  std::latch release{1};
};
// What the shared frames carry: text of each length class (7-, 16- and 64-bit) and binary.
std::vector<WsClient::Frame> prepared_contents() {
  std::string binary;
  for (int i = 0; i < 256; ++i) {
    binary += static_cast<char>(i);
  }
  return {
      {true, ""}, {true, std::string(300, 'p')}, {true, std::string(70000, 'q')}, {false, binary}};
}
// Those frames, prepared once for every connection.
std::vector<PreparedMessage> prepared_frames() {
  std::vector<PreparedMessage> frames;
  for (const auto& [text, data] : prepared_contents()) {
    frames.push_back(text ? prepare_text(data)
                          : prepare_binary(std::as_bytes(std::span(data.data(), data.size()))));
  }
  return frames;
}
struct Services {
  broadcaster::Broadcaster<std::string> bus;
  Subject<Event> events;
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::vector<PreparedMessage> prepared = prepared_frames();
};
struct Dependencies {
  std::string user;
  Services services;
};
struct State {
  std::string user;
};

std::pair<State, std::optional<Selector<std::string>>> on_init(Connection&,
                                                               const Dependencies& deps) {
  auto channel = broadcaster::subscribe(deps.services.bus);
  (void)send(deps.services.events, Event{"opened", deps.user});
  return {State{deps.user}, broadcaster::channel_to_selector(channel)};
}

Action<State, std::string> on_message(State state, Message<std::string> message,
                                      Connection& connection, const Dependencies& deps) {
  if (auto* text = std::get_if<TextMessage>(&message)) {
    if (text->text == "stop") {
      return stop_connection();
    }
    if (text->text == "throw") {
      throw std::runtime_error("handler failure on purpose");
    }
    if (text->text.starts_with("flood ")) {
      // Sends until the queue refuses, and reports how many frames were refused.
      int refused = 0;
      for (int i = 0; i < std::stoi(text->text.substr(6)); ++i) {
        auto sent = send_text(connection, std::string(64 * 1024, 'f'));
        refused += sent.has_error() && sent.error() == SendError::backpressure;
      }
      (void)send(deps.services.events, Event{"flooded", state.user, std::uint16_t(refused)});
      return continue_connection(state);
    }
    if (text->text.starts_with("prepared ")) {
      // The shared frames, each between two of the connection's own: one order for both.
      const auto count = std::stoi(text->text.substr(9));
      const auto& prepared = deps.services.prepared;
      for (int i = 0; i < count; ++i) {
        (void)send_prepared(connection, prepared[static_cast<std::size_t>(i) % prepared.size()]);
        (void)send_text(connection, "own:" + std::to_string(i));
      }
      return continue_connection(state);
    }
    if (text->text == "flood-prepared") {
      // As flood, with one shared 64 KiB frame: it counts against the bound all the same.
      static const auto big = prepare_text(std::string(64 * 1024, 'f'));
      int refused = 0;
      for (int i = 0; i < 2000; ++i) {
        auto sent = send_prepared(connection, big);
        refused += sent.has_error() && sent.error() == SendError::backpressure;
      }
      (void)send(deps.services.events, Event{"flooded", state.user, std::uint16_t(refused)});
      return continue_connection(state);
    }
    if (text->text.starts_with("big-then-stop ")) {
      (void)send_text(connection, std::string(std::stoul(text->text.substr(14)), 'b'));
      return stop_connection();
    }
    if (text->text.starts_with("burst ")) {
      // Frames of every length class (7-, 16- and 64-bit), sent in one go: they queue up and
      // leave in a few writes.
      const auto count = std::stoi(text->text.substr(6));
      for (int i = 0; i < count; ++i) {
        const std::size_t length = i % 3 == 0 ? 10 : i % 3 == 1 ? 300 : 70000;
        auto body = std::to_string(i) + ":";
        body.resize(length, static_cast<char>('a' + i % 26));
        (void)send_text(connection, body);
      }
      return continue_connection(state);
    }
    if (text->text == "block") {
      deps.services.gate->entered.count_down();
      deps.services.gate->release.wait();
      return continue_connection(state);
    }
    (void)send_text(connection, text->text);
    return continue_connection(state);
  }
  if (auto* binary = std::get_if<BinaryMessage>(&message)) {
    (void)send_binary(connection, binary->data);
    return continue_connection(state);
  }
  if (auto* custom = std::get_if<CustomMessage<std::string>>(&message)) {
    (void)send_text(connection, "custom:" + custom->value);
    return continue_connection(state);
  }
  const auto& closed = std::get<ConnectionClosed>(message);
  (void)send(deps.services.events, Event{"connection_closed", state.user, closed.code});
  return stop_connection();
}

void on_close(State state, const Dependencies& deps) {
  (void)send(deps.services.events, Event{"closed", state.user});
}

Response chat(const Request& request, EmptyContext&, const Services& services) {
  return upgrade_websocket(
      request, Dependencies{request.query_param("user").value_or("Anonymous"), services}, on_init,
      on_message, on_close);
}

// A middleware that adds a header to whatever the route answers, the handshake included.
Response traced(const Request& request, EmptyContext& context, const Services& services,
                const Router<EmptyContext, Services>::Next& next) {
  auto response = next(request, context, services);
  response.headers.set("X-Trace", "traced");
  return response;
}

// Auth at upgrade time, as the seed guide shows it.
Response secured(const Request& request, EmptyContext& context, const Services& services) {
  if (request.query_param("token") != "secret") {
    return unauthorized("Invalid auth token");
  }
  return chat(request, context, services);
}

Router<EmptyContext, Services> app() {
  return router<EmptyContext, Services>()
      .route(Method::Get, "/chat", chat)
      .route(Method::Get, "/traced", chat, {traced})
      .route(Method::Get, "/secure", secured);
}

// True when upgrade_websocket accepts an on_message of type F.
template <class F>
concept UpgradesWith = requires(const Request& r, Services s, F f) {
  upgrade_websocket<State, std::string, Dependencies>(r, Dependencies{"x", s}, on_init, f,
                                                      on_close);
};

// A server with its own runtime, broadcaster and event inbox.
struct ChatServer {
  explicit ChatServer(server::ServerConfig config = {})
      : handle(server::create()
                   .services(Services{bus, events, gate, prepared_frames()})
                   .runtime(runtime)
                   .config(config)
                   .router(app())
                   .start(0)) {}

  std::uint16_t port() const { return handle.port(); }

  // The next event of `kind` for `user` (others are set aside for later expects); fails the
  // test after patience.
  Event expect(const std::string& kind, const std::string& user) {
    // Events of different connections come in any order: one set aside earlier may be it.
    for (auto it = seen.begin(); it != seen.end(); ++it) {
      if (it->kind == kind && it->user == user) {
        Event event = *it;
        seen.erase(it);
        return event;
      }
    }
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
      auto event = inbox.receive(events, patience);
      REQUIRE(event.has_value());
      if (event->kind == kind && event->user == user) {
        return *event;
      }
      seen.push_back(*event);
    }
    FAIL("no '" << kind << "' event for " << user);
    return {};
  }
  // How many more `kind` events for `user` arrive within the quiet window.
  int more(const std::string& kind, const std::string& user) {
    int n = 0;
    while (auto event = inbox.receive(events, quiet)) {
      n += event->kind == kind && event->user == user;
    }
    for (const auto& e : seen) {
      n += e.kind == kind && e.user == user;
    }
    seen.clear();
    return n;
  }

  Runtime runtime;
  Inbox inbox{runtime};
  Subject<Event> events = inbox.new_subject<Event>();
  broadcaster::Broadcaster<std::string> bus =
      broadcaster::start_broadcaster<std::string>(runtime).value();
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::vector<Event> seen;
  server::ServerHandle handle;
};

// With the connection's process held in on_message, a client writes 512 chunks of 512 KiB
// (256 MiB); returns how many went out before its writes stalled (3 s without progress).
int chunks_read_while_busy(const server::ServerConfig& config) {
  ChatServer chat_server(config);
  WsClient client(chat_server.port(), "/chat?user=flood");
  client.send_text("block");
  chat_server.gate->entered.wait();
  const std::string chunk(512 * 1024, 'x');
  int written = 0;
  while (written < 512 && client.try_send_text(chunk, std::chrono::seconds(3))) {
    ++written;
  }
  chat_server.gate->release.count_down();
  chat_server.expect("closed", "flood");
  return written;
}

// A 256 KiB outbound queue whose overflow refuses the frame and keeps the connection open
// (SlowConsumerPolicy::drop_message): the backpressure tests' server.
server::ServerConfig dropping_small_queue() {
  server::ServerConfig config;
  config.max_websocket_queue_bytes = 256 * 1024;
  config.websocket_slow_consumer = server::SlowConsumerPolicy::drop_message;
  return config;
}

}  // namespace

TEST_SUITE("websocket") {
  TEST_CASE("text and binary frames echo") {
    ChatServer chat_server;
    WsClient client(chat_server.port(), "/chat?user=ann");
    client.send_text("hello, wörld");
    CHECK(client.receive_text() == "hello, wörld");
    client.send_binary(std::string("\x00\x01\xff", 3));
    auto frame = client.receive();
    REQUIRE(frame.has_value());
    CHECK_FALSE(frame->text);
    CHECK(frame->data == std::string("\x00\x01\xff", 3));
  }

  TEST_CASE("custom messages arrive through the selector from a broadcaster") {
    ChatServer chat_server;
    WsClient ann(chat_server.port(), "/chat?user=ann");
    WsClient bob(chat_server.port(), "/chat?user=bob");
    chat_server.expect("opened", "ann");
    chat_server.expect("opened", "bob");
    REQUIRE(broadcaster::publish(chat_server.bus, "news").has_value());
    CHECK(ann.receive_text() == "custom:news");
    CHECK(bob.receive_text() == "custom:news");
  }

  TEST_CASE("auth at upgrade time: 401 and no WebSocket without the token") {
    ChatServer chat_server;
    CHECK(WsClient::handshake_status(chat_server.port(), "/secure?token=wrong") == 401);
    CHECK(WsClient::handshake_status(chat_server.port(), "/secure") == 401);
    CHECK(chat_server.more("opened", "Anonymous") == 0);
    WsClient allowed(chat_server.port(), "/secure?token=secret&user=ann");
    allowed.send_text("in");
    CHECK(allowed.receive_text() == "in");
  }

  TEST_CASE("a handler that throws closes its connection with 1011; others carry on") {
    ChatServer chat_server;
    WsClient doomed(chat_server.port(), "/chat?user=doomed");
    WsClient bystander(chat_server.port(), "/chat?user=bystander");
    doomed.send_text("throw");
    CHECK(doomed.wait_for_close() == 1011);
    chat_server.expect("closed", "doomed");
    CHECK(chat_server.more("closed", "doomed") == 0);
    bystander.send_text("still here");
    CHECK(bystander.receive_text() == "still here");
  }

  TEST_CASE("on_close runs exactly once however the connection ends") {
    ChatServer chat_server;
    SUBCASE("client close frame") {
      WsClient client(chat_server.port(), "/chat?user=u");
      chat_server.expect("opened", "u");
      client.close(1000);
      CHECK(chat_server.expect("connection_closed", "u").code == 1000);
    }
    SUBCASE("TCP drop without a close frame") {
      WsClient client(chat_server.port(), "/chat?user=u");
      chat_server.expect("opened", "u");
      client.drop();
      CHECK(chat_server.expect("connection_closed", "u").code == 1006);
    }
    SUBCASE("stop_connection") {
      WsClient client(chat_server.port(), "/chat?user=u");
      client.send_text("stop");
      CHECK(client.wait_for_close() == 1000);
    }
    SUBCASE("server stop") {
      WsClient client(chat_server.port(), "/chat?user=u");
      chat_server.expect("opened", "u");
      std::uint16_t code = 0;
      std::thread reader([&] { code = client.wait_for_close(); });
      chat_server.handle.stop();
      reader.join();
      CHECK(code == 1001);
      CHECK(chat_server.expect("connection_closed", "u").code == 1001);
    }
    SUBCASE("an exception in a handler") {
      WsClient client(chat_server.port(), "/chat?user=u");
      client.send_text("throw");
      CHECK(client.wait_for_close() == 1011);
    }
    chat_server.expect("closed", "u");
    CHECK(chat_server.more("closed", "u") == 0);
  }

  TEST_CASE("200 clients each echo 100 messages with nothing lost or reordered") {
    server::ServerConfig config;
    config.websocket_read_window = 4;  // flow control engaged throughout
    ChatServer chat_server(config);
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int c = 0; c < 200; ++c) {
      clients.push_back(
          std::make_unique<WsClient>(chat_server.port(), "/chat?user=c" + std::to_string(c)));
    }
    for (int c = 0; c < 200; ++c) {
      for (int m = 0; m < 100; ++m) {
        clients[c]->send_text(std::to_string(c) + ":" + std::to_string(m));
      }
    }
    int wrong = 0;
    for (int c = 0; c < 200; ++c) {
      for (int m = 0; m < 100; ++m) {
        wrong += clients[c]->receive_text() != std::to_string(c) + ":" + std::to_string(m);
      }
    }
    CHECK(wrong == 0);
  }

  TEST_CASE(
      "a burst of frames coalesced into few writes arrives whole and in order, with "
      "the server's pongs between them") {
    server::ServerConfig config;
    config.max_websocket_queue_bytes = 64 * 1024 * 1024;  // the whole burst fits: none refused
    ChatServer chat_server(config);
    WsClient client(chat_server.port(), "/chat?user=burst");
    client.send_text("burst 300");
    // Pings (masked, empty) while the burst is queued: Beast's pongs go through the same
    // queue, and a pong cut into a data frame would break the client's parser.
    for (int i = 0; i < 20; ++i) {
      client.write_raw(std::string("\x89\x80\x01\x02\x03\x04", 6));
    }
    int wrong = 0;
    for (int i = 0; i < 300; ++i) {
      const std::size_t length = i % 3 == 0 ? 10 : i % 3 == 1 ? 300 : 70000;
      auto expected = std::to_string(i) + ":";
      expected.resize(length, static_cast<char>('a' + i % 26));
      auto frame = client.receive();
      REQUIRE(frame.has_value());
      wrong += frame->data != expected;
    }
    CHECK(wrong == 0);
    client.send_text("still here");
    CHECK(client.receive_text() == "still here");
    // Every ping was answered, and not only after the whole burst: pongs queue with data.
    CHECK(client.pongs() == 20);
    REQUIRE(client.first_pong_after().has_value());
    CHECK(*client.first_pong_after() < 300);
  }

  TEST_CASE(
      "after the peer's close, nothing follows the server's close reply; on_close "
      "hears the peer's code") {
    // Frames the process sends after Beast has queued its close reply must be dropped, not
    // written after it (the socket is being shut down): a race, so tried ten times.
    server::ServerConfig config;
    config.websocket_slow_consumer = server::SlowConsumerPolicy::drop_message;  // not this test's
    ChatServer chat_server(config);
    for (int round = 0; round < 10; ++round) {
      const auto name = "leaver" + std::to_string(round);
      WsClient client(chat_server.port(), "/chat?user=" + name);
      client.send_text("burst 3000");  // still being sent when the close arrives
      client.close(4000);
      const auto closed = chat_server.expect("connection_closed", name);
      CHECK(closed.code == 4000);
    }
  }

  TEST_CASE("frames already buffered are read at once, however many: 20,000 in a burst") {
    // A buffered frame's read completes inline (ReadyExecutor), nested to a bound: a huge
    // read window must neither overflow the stack nor reorder anything.
    server::ServerConfig config;
    config.websocket_read_window = 100000;
    config.max_websocket_queue_bytes = 64 * 1024 * 1024;
    ChatServer chat_server(config);
    WsClient client(chat_server.port(), "/chat?user=burst");
    std::string burst;
    for (int i = 0; i < 20000; ++i) {
      const auto text = std::to_string(i);
      burst += static_cast<char>(0x81);  // FIN, text
      burst += static_cast<char>(0x80 | text.size());
      burst += std::string(4, '\0');  // a zero mask leaves the payload as it is
      burst += text;
    }
    client.write_raw(burst);
    int wrong = 0;
    for (int i = 0; i < 20000; ++i) {
      wrong += client.receive_text() != std::to_string(i);
    }
    CHECK(wrong == 0);
  }

  TEST_CASE("reading stops while the connection's process is busy (flow control)") {
    // With the process held in on_message, the server reads at most the window's frames and
    // then stops reading, so the client's writes stall once the socket buffers are full. Were
    // reading not flow-controlled, all 256 MiB would be read into the server's memory.
    server::ServerConfig config;
    config.websocket_read_window = 2;
    CHECK(chunks_read_while_busy(config) < 512);
  }

  TEST_CASE("reading also stops at the window's bytes, however many frames the window allows") {
    // As above with a window of frames too large to matter: the 1 MiB of unhandled payload
    // is what stops reading. Were it not counted, all 256 MiB would be read.
    server::ServerConfig config;
    config.websocket_read_window = 100000;
    config.websocket_read_window_bytes = 1024 * 1024;
    CHECK(chunks_read_while_busy(config) < 512);
  }

  TEST_CASE("a full outbound queue refuses with backpressure; the connection stays open") {
    ChatServer chat_server(dropping_small_queue());
    WsClient client(chat_server.port(), "/chat?user=slow");
    client.send_text("flood 2000");  // 125 MiB, and this client reads nothing meanwhile
    CHECK(chat_server.expect("flooded", "slow").code > 0);
    // Frames that were queued still arrive, in order, and the connection still works.
    auto first = client.receive();
    REQUIRE(first.has_value());
    CHECK(first->data == std::string(64 * 1024, 'f'));
  }

  TEST_CASE("a prepared frame is sent as prepared by many connections at once, in order") {
    // Four connections on two io threads send the same shared frames, between their own.
    server::ServerConfig config;
    config.io_threads = 2;
    config.max_websocket_queue_bytes = 64 * 1024 * 1024;
    ChatServer chat_server(config);
    const auto expected = prepared_frames();
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int c = 0; c < 4; ++c) {
      clients.push_back(
          std::make_unique<WsClient>(chat_server.port(), "/chat?user=p" + std::to_string(c)));
    }
    for (auto& client : clients) {
      client->send_text("prepared 200");
    }
    const auto wanted = prepared_contents();
    REQUIRE(expected.size() == wanted.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      CHECK(expected[k].is_text() == wanted[k].text);
      CHECK(expected[k].size() == wanted[k].data.size());
    }
    for (auto& client : clients) {
      int wrong = 0;
      for (int i = 0; i < 200; ++i) {
        auto shared = client->receive();
        auto own = client->receive();
        REQUIRE(shared.has_value());
        REQUIRE(own.has_value());
        const auto& want = wanted[static_cast<std::size_t>(i) % wanted.size()];
        wrong += shared->text != want.text || shared->data != want.data;
        wrong += own->data != "own:" + std::to_string(i);
      }
      CHECK(wrong == 0);
    }
  }

  TEST_CASE("a prepared frame counts against the outbound queue bound like any other") {
    ChatServer chat_server(dropping_small_queue());
    WsClient client(chat_server.port(), "/chat?user=slow");
    client.send_text("flood-prepared");  // 125 MiB of one shared frame; this client reads nothing
    const int refused = chat_server.expect("flooded", "slow").code;
    CHECK(refused > 0);
    client.send_text("still here");
    // Every accepted frame arrives whole, and none of the refused ones: the bound refused
    // sends, it did not drop what it had taken.
    int frames = 0;
    int damaged = 0;
    while (true) {
      auto next = client.receive();
      REQUIRE(next.has_value());
      if (next->data == "still here") {
        break;
      }
      ++frames;
      damaged += next->data != std::string(64 * 1024, 'f');
    }
    CHECK(damaged == 0);
    CHECK(frames == 2000 - refused);
  }

  TEST_CASE("handlers must be plain functions: a capturing lambda does not compile") {
    int captured = 0;
    auto closure = [&captured](State s, Message<std::string>, Connection&,
                               const Dependencies&) -> Action<State, std::string> {
      ++captured;
      return continue_connection(s);
    };
    CHECK_FALSE(UpgradesWith<decltype(closure)>);
    CHECK(UpgradesWith<decltype(&on_message)>);
  }

  TEST_CASE("what the process sends before stop_connection arrives whole, then 1000") {
    ChatServer chat_server;
    WsClient client(chat_server.port(), "/chat?user=ann");
    client.send_text("big-then-stop 2000000");
    for (int i = 0; i < 3; ++i) {
      client.send_text("after the stop");  // must not cut the message short
    }
    auto big = client.receive();
    INFO("closed: " << client.closed() << ", close code: " << client.close_code());
    REQUIRE(big.has_value());
    CHECK(big->data == std::string(2000000, 'b'));
    CHECK(client.wait_for_close() == 1000);
  }

  TEST_CASE("stop() ends even when a client reads nothing, and on_close still runs") {
    server::ServerConfig config;
    config.websocket_handshake_timeout = std::chrono::seconds(1);
    ChatServer chat_server(config);
    WsClient client(chat_server.port(), "/chat?user=deaf");
    client.send_text("flood 600");  // ~37 MiB at a client that never reads
    chat_server.expect("flooded", "deaf");
    chat_server.handle.stop();  // returns after the grace period, cutting the connection
    chat_server.expect("closed", "deaf");
    CHECK(chat_server.more("closed", "deaf") == 0);
  }

  TEST_CASE("headers the controller's middleware set go on the handshake response") {
    ChatServer chat_server;
    WsClient client(chat_server.port(), "/traced?user=ann");
    CHECK(client.handshake_header("X-Trace") == "traced");
    client.send_text("hi");
    CHECK(client.receive_text() == "hi");
  }

  TEST_CASE("a read window of 0 is taken as 1, not as 'never read again'") {
    server::ServerConfig config;
    config.websocket_read_window = 0;
    ChatServer chat_server(config);
    WsClient client(chat_server.port(), "/chat?user=ann");
    for (const char* text : {"one", "two", "three"}) {
      client.send_text(text);
      CHECK(client.receive_text() == text);
    }
  }

  TEST_CASE("a byte window of 0 is taken as 1, and every frame reopens it") {
    // Every frame closes a 1-byte window, and larger ones overshoot it: reading resumes only
    // if each frame's size comes back exactly. A burst, so the window is tested while full.
    server::ServerConfig config;
    config.websocket_read_window_bytes = 0;
    ChatServer chat_server(config);
    WsClient client(chat_server.port(), "/chat?user=ann");
    std::vector<std::string> sent;
    for (int i = 0; i < 300; ++i) {
      auto text = std::to_string(i) + ":";
      text.resize(i % 10 == 0 ? 20000 : 1 + i % 7, 'w');
      sent.push_back(text);
      client.send_text(text);
    }
    int wrong = 0;
    for (const auto& text : sent) {
      wrong += client.receive_text() != text;
    }
    CHECK(wrong == 0);
  }

  TEST_CASE("a close frame without a status code reaches on_message as 1005") {
    ChatServer chat_server;
    WsClient client(chat_server.port(), "/chat?user=ann");
    chat_server.expect("opened", "ann");
    client.close(0);
    CHECK(chat_server.expect("connection_closed", "ann").code == 1005);
  }

  TEST_CASE("a plain request to a WebSocket route gets 426 with Sec-WebSocket-Version: 13") {
    ChatServer chat_server;
    HttpClient client(chat_server.port());
    auto reply = client.request("GET", "/chat");
    CHECK(reply.status == 426);
    CHECK(reply.header("Sec-WebSocket-Version") == "13");
    auto wrong_version = client.request("GET", "/chat", {},
                                        {{"Upgrade", "websocket"},
                                         {"Connection", "Upgrade"},
                                         {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                         {"Sec-WebSocket-Version", "8"}});
    CHECK(wrong_version.status == 426);
  }

  TEST_CASE(
      "a browser's upgrade from another site's page gets 403; its own page and others get in") {
    ChatServer chat_server;
    const auto port = chat_server.port();
    const auto status = [port](const std::string& origin) {
      return WsClient::handshake_status(port, "/chat?user=x", {{"Origin", origin}});
    };
    WsClient bystander(port, "/chat?user=b");
    const std::string own = "http://127.0.0.1:" + std::to_string(port);
    CHECK(status("http://evil.example") == 403);
    CHECK(status("http://127.0.0.1:" + std::to_string(port == 1 ? 2 : port - 1)) == 403);
    CHECK(status("http://127.0.0.1") == 403);  // the same host on another port
    CHECK(status("null") == 403);              // a sandboxed or file: page
    CHECK(status("http://x@127.0.0.1:" + std::to_string(port)) == 403);
    CHECK(status(own) == 101);
    CHECK(status("HTTP://127.0.0.1:" + std::to_string(port)) == 101);
    CHECK(status("foo://127.0.0.1:" + std::to_string(port)) == 403);  // not a web page
    CHECK(status("") == 403);
    CHECK(WsClient::handshake_status(port, "/chat?user=x") == 101);  // no Origin: not a browser
    // Host and Origin as a browser behind a proxy may send them: one origin, in any case and
    // with the scheme's default port written or not; another port is another origin.
    const auto with_host = [port](const std::string& host, const std::string& origin) {
      return WsClient::handshake_status(port, "/chat?user=x", {{"Host", host}, {"Origin", origin}});
    };
    CHECK(with_host("Chat.Example", "http://chat.example") == 101);
    CHECK(with_host("chat.example:80", "http://chat.example") == 101);
    CHECK(with_host("chat.example", "https://chat.example:443") == 101);
    CHECK(with_host("[::1]:8080", "http://[::1]:8080") == 101);
    CHECK(with_host("chat.example:443", "http://chat.example") == 403);
    CHECK(with_host("chat.example", "http://chat.example.evil") == 403);
    CHECK(with_host("", "http://chat.example") == 403);
    bystander.send_text("still here");
    CHECK(bystander.receive_text() == "still here");
  }

  TEST_CASE("websocket_allowed_origins admits the origins it lists and only those; '*' any") {
    server::ServerConfig config;
    config.websocket_allowed_origins = {"https://app.example/", "http://localhost:3000",
                                        "HTTPS://other.example:443"};
    ChatServer chat_server(config);
    const auto status = [&chat_server](const std::string& origin) {
      return WsClient::handshake_status(chat_server.port(), "/chat?user=x", {{"Origin", origin}});
    };
    CHECK(status("https://app.example") == 101);
    CHECK(status("https://APP.example") == 101);
    CHECK(status("http://localhost:3000") == 101);
    CHECK(status("http://app.example") == 403);  // another scheme
    CHECK(status("https://app.example.evil") == 403);
    CHECK(status("http://localhost:3001") == 403);
    CHECK(status("https://other.example") == 101);  // the scheme's default port, any case
    CHECK(status("http://127.0.0.1:" + std::to_string(chat_server.port())) == 101);

    server::ServerConfig open_config;
    open_config.websocket_allowed_origins = {"*"};
    ChatServer open_server(open_config);
    CHECK(WsClient::handshake_status(open_server.port(), "/chat?user=x",
                                     {{"Origin", "http://evil.example"}}) == 101);
  }

  TEST_CASE("an allowed origin that could never match is refused when the server starts") {
    for (const char* entry : {"https://app.example/chat", "app.example", "null",
                              "https://user@app.example", "ftp://app.example", ""}) {
      INFO("entry: " << entry);
      server::ServerConfig config;
      config.websocket_allowed_origins = {"https://fine.example", entry};
      CHECK_THROWS_AS(ChatServer{config}, std::invalid_argument);
    }
  }

  TEST_CASE("protocol violations get the right close code; others carry on") {
    server::ServerConfig config;
    config.max_websocket_message_bytes = 1024;
    ChatServer chat_server(config);
    WsClient bystander(chat_server.port(), "/chat?user=bystander");
    SUBCASE("invalid UTF-8 in a text frame: 1007") {
      WsClient client(chat_server.port(), "/chat?user=bad");
      client.send_text("\xff\xfe not UTF-8");
      CHECK(client.wait_for_close() == 1007);
    }
    SUBCASE("a message over the limit: 1009") {
      WsClient client(chat_server.port(), "/chat?user=bad");
      client.send_text(std::string(2048, 'x'));
      CHECK(client.wait_for_close() == 1009);
    }
    SUBCASE("an unmasked client frame: 1002") {
      WsClient client(chat_server.port(), "/chat?user=bad");
      client.write_raw(std::string("\x81\x02hi", 4));
      CHECK(client.wait_for_close() == 1002);
    }
    SUBCASE("a client that vanishes mid-frame") {
      WsClient client(chat_server.port(), "/chat?user=bad");
      // A masked text frame announcing 100 bytes, of which 4 arrive before the drop.
      client.write_raw(
          std::string("\x81\xE4\x01\x02\x03\x04"
                      "abcd",
                      10));
      client.drop();
      CHECK(chat_server.expect("connection_closed", "bad").code == 1006);
    }
    chat_server.expect("closed", "bad");
    bystander.send_text("fine");
    CHECK(bystander.receive_text() == "fine");
  }
}

TEST_SUITE("interop") {
  TEST_CASE("Debian's python3-websockets client talks to our server") {
    ChatServer chat_server;
    const std::string command = "/usr/bin/python3 " DREAM_TESTS_DIR "/interop/ws_echo_client.py " +
                                std::to_string(chat_server.port()) + " 2>&1";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char chunk[512];
    while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) {
      output += chunk;
    }
    const int status = ::pclose(pipe);
    INFO(output);
    CHECK(status == 0);
    CHECK(output.find("interop ok") != std::string::npos);
    chat_server.expect("closed", "python");
  }
}
