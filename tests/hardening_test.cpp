// Hardening (issue 7, item 6), over real sockets against a server started in-process: what a
// broken or hostile client sends, and that every other client carries on. Protocol violations
// websocket_test.cpp does not cover, messages over the limit that must not be buffered,
// slowloris request heads, and thousands of connections that must leave nothing behind.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dream/servers/beast/server.hpp"
#include "dream/servers/beast/websocket.hpp"
#include "process_memory.hpp"
#include "raw_client.hpp"
#include "support.hpp"
#include "ws_client.hpp"

using namespace dream;
using namespace dream::http;
using namespace dream::servers::beast::websocket;
using namespace test_support;
namespace server = dream::servers::beast;

namespace {

constexpr std::size_t kib = 1024;
constexpr std::size_t mib = 1024 * kib;

// --- the app under test: every frame comes back as it came ----------------------------------
struct NoDependencies {};
struct State {};

std::pair<State, std::optional<process::Selector<std::string>>> on_init(Connection&,
                                                                        const NoDependencies&) {
  return {State{}, std::nullopt};
}

Action<State, std::string> on_message(State state, Message<std::string> message,
                                      Connection& connection, const NoDependencies&) {
  if (auto* text = std::get_if<TextMessage>(&message)) {
    (void)send_text(connection, text->text);
  } else if (auto* binary = std::get_if<BinaryMessage>(&message)) {
    (void)send_binary(connection, binary->data);
  } else if (std::holds_alternative<ConnectionClosed>(message)) {
    return stop_connection();
  }
  return continue_connection(state);
}

void on_close(State, const NoDependencies&) {}

Response echo(const Request& request, EmptyContext&, const EmptyServices&) {
  return upgrade_websocket(request, NoDependencies{}, on_init, on_message, on_close);
}

// A server with its own runtime, so that its processes can be counted.
struct EchoServer {
  explicit EchoServer(server::ServerConfig config = {})
      : handle(server::create()
                   .runtime(runtime)
                   .config(std::move(config))
                   .router(router<EmptyContext, EmptyServices>().route(Method::Get, "/echo", echo))
                   .start(0)) {}

  std::uint16_t port() const { return handle.port(); }

  Runtime runtime;
  server::ServerHandle handle;
};

// What a client that did nothing wrong must still get: its own text back.
void check_echo(WsClient& client, const std::string& text) {
  client.send_text(text);
  CHECK(client.receive_text() == text);
}

std::chrono::milliseconds left_until(std::chrono::steady_clock::time_point deadline) {
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now()));
}

// A frame (or frames) that breaks RFC 6455, and the close code it must get.
struct Violation {
  const char* what;
  std::string bytes;
  std::uint16_t code;
};

std::vector<Violation> violations() {
  return {
      // Opcodes 0x3-0x7 are reserved data frames, 0xB-0xF reserved control frames (§5.2).
      {"unknown data opcode 0x3", masked_frame(0x83, "hi"), 1002},
      {"unknown data opcode 0x7", masked_frame(0x87, ""), 1002},
      {"unknown control opcode 0xB", masked_frame(0x8B, ""), 1002},
      {"unknown control opcode 0xF", masked_frame(0x8F, "hi"), 1002},
      {"RSV1 set with no extension negotiated", masked_frame(0xC1, "hi"), 1002},
      {"a continuation frame with no message to continue", masked_frame(0x80, "hi"), 1002},
      {"a new message inside an unfinished one",
       masked_frame(0x01, "first half") + masked_frame(0x81, "another"), 1002},
      {"a fragmented ping", masked_frame(0x09, ""), 1002},
      {"a ping over 125 bytes", masked_frame(0x89, std::string(126, 'p')), 1002},
      {"a close frame with a one-byte body", masked_frame(0x88, "\x03"), 1002},
      {"a close code no endpoint may send (1005)", masked_frame(0x88, "\x03\xed"), 1002},
      // Invalid UTF-8 where the whole-frame check in websocket_test.cpp does not look.
      {"invalid UTF-8 in a continuation frame",
       masked_frame(0x01, "valid start ") + masked_frame(0x80, "\xff\xfe"), 1007},
      {"a text message that ends inside a UTF-8 sequence", masked_frame(0x81, "euro \xe2\x82"),
       1007},
  };
}

}  // namespace

TEST_SUITE("hardening") {
  TEST_CASE("frames RFC 6455 forbids close with the right code; another client carries on") {
    EchoServer echo_server;
    WsClient bystander(echo_server.port(), "/echo");
    for (const auto& violation : violations()) {
      INFO(violation.what);
      RawClient client(echo_server.port());
      REQUIRE(client.upgrade("/echo"));
      REQUIRE(client.write(violation.bytes));
      CHECK(client.read_close_code() == violation.code);
      check_echo(bystander, violation.what);
    }
  }

  TEST_CASE("a message over the limit closes with 1009 and is never buffered") {
    server::ServerConfig config;
    config.max_websocket_message_bytes = 64 * kib;
    EchoServer echo_server(config);
    WsClient bystander(echo_server.port(), "/echo");
    check_echo(bystander, "before");

    // 8 MiB of payload are sent (or as much as the server takes before it hangs up), a MiB at
    // a time, with the resident set sampled between: a server that buffered the message, even
    // to refuse it at its end, would grow by about that much. Beast refuses a frame whose
    // header announces too much, and a fragment that takes the message past the limit, before
    // reading their payloads, so less may go out: the bound then holds against the 64 MiB
    // announced, or the fragments' running total.
    constexpr std::size_t to_send = 8 * mib;
    const std::string zeros(64 * kib, '\0');
    const auto fragment = masked_frame_head(0x00, 32 * kib) + std::string(32 * kib, '\0');
    RawClient client(echo_server.port());
    REQUIRE(client.upgrade("/echo"));
    std::string_view chunk;
    SUBCASE("one frame announcing 64 MiB") {
      REQUIRE(client.write(masked_frame_head(0x81, 64 * mib)));
      chunk = zeros;
    }
    SUBCASE("a message of 32 KiB fragments, each within the limit") {
      REQUIRE(client.write(masked_frame_head(0x02, 32 * kib) + std::string(32 * kib, '\0')));
      chunk = fragment;
    }
    const auto rss_before = rss_bytes();
    auto rss_peak = rss_before;
    std::size_t sent = 0;
    while (sent < to_send) {
      const auto slice = (mib / chunk.size() + 1) * chunk.size();
      const auto written = client.write_repeatedly(chunk, slice);
      sent += written;
      rss_peak = std::max(rss_peak, rss_bytes());
      if (written < slice) {
        break;  // the server ended the connection
      }
    }
    const auto code = client.read_close_code();
    rss_peak = std::max(rss_peak, rss_bytes());
    MESSAGE("sent " << sent / kib << " KiB; RSS before " << rss_before / kib << " KiB, peak "
                    << rss_peak / kib << " KiB");
    CHECK(code == 1009);
    if (rss_is_meaningful) {
      // A bound far below what was sent (8 MiB) and announced (64 MiB); a few MiB allow for
      // the allocator and the server's fixed buffers.
      CHECK(rss_peak - rss_before < 4 * mib);
    }
    check_echo(bystander, "after");
  }

  TEST_CASE("slowloris: 200 unfinished request heads neither block others nor stay open") {
    // request_timeout bounds the whole request head (http_session.cpp sets the stream's
    // deadline once, before reading it), so a head that never ends is cut when it expires.
    server::ServerConfig config;
    config.request_timeout = std::chrono::seconds(2);
    EchoServer echo_server(config);
    std::vector<std::unique_ptr<RawClient>> lorises;
    for (int i = 0; i < 200; ++i) {
      lorises.push_back(std::make_unique<RawClient>(echo_server.port()));
      REQUIRE(lorises.back()->write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    }
    {
      WsClient newcomer(echo_server.port(), "/echo");
      check_echo(newcomer, "through the crowd");
      newcomer.close();
    }
    const auto deadline = std::chrono::steady_clock::now() + patience;
    int ended = 0;
    for (auto& loris : lorises) {
      ended += loris->wait_for_end(left_until(deadline));
    }
    CHECK(ended == 200);
  }

  TEST_CASE("2,000 connect, upgrade, echo and close cycles leave no process behind") {
    // Four clients at a time; under ASan, LeakSanitizer fails this suite if a cycle leaks.
    EchoServer echo_server;
    constexpr int clients = 4;
    constexpr int cycles_each = 500;
    std::atomic<int> completed{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        for (int i = 0; i < cycles_each; ++i) {
          try {
            WsClient client(echo_server.port(), "/echo");
            const auto text = std::to_string(c) + ":" + std::to_string(i);
            client.send_text(text);
            const bool echoed = client.receive_text() == text;
            client.close();
            (echoed ? completed : failed).fetch_add(1);
          } catch (const std::exception&) {
            failed.fetch_add(1);
          }
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(failed == 0);
    CHECK(completed == clients * cycles_each);
    // Every connection's process ends once its client has closed.
    CHECK(eventually([&] { return echo_server.runtime.process_count() == 0; }));
    // And the server counts no connection open any more.
    CHECK(eventually([&] { return echo_server.handle.metrics().connections_open == 0; }));
    CHECK(echo_server.handle.metrics().websocket_connections_open == 0);
    CHECK(echo_server.handle.metrics().connections_accepted_total >= clients * cycles_each);
  }
}
