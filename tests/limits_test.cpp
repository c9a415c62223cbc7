// The server's limits under hostile and broken clients (docs/operations.md): slow consumers,
// idle connections, the connection cap, graceful stop, and the health and metrics routes.
// Real sockets against a real server; every wait is bounded by a condition, not a sleep.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "dream/servers/beast/server.hpp"
#include "dream/servers/beast/websocket.hpp"
#include "dream/services/broadcaster.hpp"
#include "http_client.hpp"
#include "process_memory.hpp"
#include "raw_client.hpp"
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

// --- the app: a room whose listeners hear every sender's message, and an echo --------------
// What the server did, for the test to compare with what the clients saw.
struct Tally {
  std::mutex mutex;
  std::map<std::string, int> echoed;  // echoes the server accepted (send returned ok), by user
  std::map<std::string, std::uint16_t> closed_with;  // ConnectionClosed's code, by user
  int closes = 0;                                    // on_close runs
};
struct Services {
  broadcaster::Broadcaster<std::string> room;
  std::shared_ptr<Tally> tally = std::make_shared<Tally>();
};
struct Dependencies {
  std::string user;
  std::string role;  // "listener": hears the room; "sender": speaks to it; "echo"
  Services services;
};
struct State {
  std::string user;
};

std::pair<State, std::optional<Selector<std::string>>> on_init(Connection&,
                                                               const Dependencies& deps) {
  if (deps.role != "listener") {
    return {State{deps.user}, std::nullopt};
  }
  auto channel = broadcaster::subscribe(deps.services.room);
  return {State{deps.user}, broadcaster::channel_to_selector(channel)};
}

Action<State, std::string> on_message(State state, Message<std::string> message,
                                      Connection& connection, const Dependencies& deps) {
  if (auto* custom = std::get_if<CustomMessage<std::string>>(&message)) {
    (void)send_text(connection, custom->value);  // a full queue is the policy's business
  } else if (auto* text = std::get_if<TextMessage>(&message)) {
    if (deps.role == "sender") {
      broadcaster::publish(deps.services.room, text->text);
    } else if (send_text(connection, text->text)) {
      std::lock_guard lock(deps.services.tally->mutex);
      ++deps.services.tally->echoed[state.user];
    }
  } else if (auto* closed = std::get_if<ConnectionClosed>(&message)) {
    std::lock_guard lock(deps.services.tally->mutex);
    deps.services.tally->closed_with[state.user] = closed->code;
    return stop_connection();
  }
  return continue_connection(state);
}

void on_close(State, const Dependencies& deps) {
  std::lock_guard lock(deps.services.tally->mutex);
  ++deps.services.tally->closes;
}

Response room(const Request& request, EmptyContext&, const Services& services) {
  return upgrade_websocket(request,
                           Dependencies{request.query_param("user").value_or("anonymous"),
                                        request.query_param("role").value_or("echo"), services},
                           on_init, on_message, on_close);
}

Response boom(const Request&, EmptyContext&, const Services&) {
  throw std::runtime_error("a controller failure on purpose");
}

Router<EmptyContext, Services> app() {
  return router<EmptyContext, Services>()
      .route(Method::Get, "/room", room)
      .route(Method::Get, "/boom", boom);
}

// A server on its own runtime; `services` lets the test read the tally.
struct RoomServer {
  explicit RoomServer(server::ServerConfig config = {})
      : services{broadcaster::start_broadcaster<std::string>(runtime).value()},
        handle(server::create()
                   .services(services)
                   .runtime(runtime)
                   .config(std::move(config))
                   .router(app())
                   .start(0)) {}
  std::uint16_t port() const { return handle.port(); }
  // Once `n` listeners have subscribed, a message sent now reaches each of them.
  bool listening(std::size_t n) const {
    return eventually([&] {
      const auto count = broadcaster::subscriber_count(services.room);
      return count && *count == n;
    });
  }

  Runtime runtime;
  Services services;
  server::ServerHandle handle;
};

// A room whose one listener never reads, and a sender to flood it.
struct StalledListener {
  explicit StalledListener(server::ServerConfig config)
      : server(std::move(config)),
        stalled(server.port(), "/room?role=listener&user=stalled"),
        sender(server.port(), "/room?role=sender&user=sender") {
    REQUIRE(server.listening(1));
  }
  RoomServer server;
  WsClient stalled;
  WsClient sender;
};

}  // namespace

TEST_SUITE("limits") {
  TEST_CASE(
      "a client that stops reading while another floods 20,000 messages is closed by "
      "the slow-consumer policy; the others get every message, memory stays bounded") {
    // The default limits (a 4 MiB queue, close with 1008), but for the closing handshake: the
    // stalled client reads its close only once the flood is over, which under a sanitizer
    // takes longer than the 5 s the server gives a close by default.
    server::ServerConfig config;
    config.websocket_handshake_timeout = std::chrono::seconds(120);
    RoomServer room(config);
    const auto rss_before = rss_bytes();
    constexpr int messages = 20000;
    const std::string filler(4096, 'x');  // 80 MiB in all: far beyond queue and socket buffers
    WsClient stalled(room.port(), "/room?role=listener&user=stalled");
    std::vector<std::unique_ptr<WsClient>> listeners;
    for (int i = 0; i < 2; ++i) {
      listeners.push_back(std::make_unique<WsClient>(
          room.port(), "/room?role=listener&user=l" + std::to_string(i)));
    }
    WsClient sender(room.port(), "/room?role=sender&user=sender");
    REQUIRE(room.listening(3));

    // Each listener reads on its own thread and says how far it has got; the sender stays
    // at most 256 messages (1 MiB) ahead of the slowest, so no reading listener can fall a
    // whole queue behind: only the stalled one hits the bound.
    std::mutex mutex;
    std::condition_variable progressed;
    std::vector<int> received(listeners.size(), 0);
    std::vector<int> wrong(listeners.size(), 0);
    std::atomic<std::size_t> peak_rss{rss_before};
    std::vector<std::thread> readers;
    for (std::size_t l = 0; l < listeners.size(); ++l) {
      readers.emplace_back([&, l] {
        for (int i = 0; i < messages; ++i) {
          auto frame = listeners[l]->receive();
          std::lock_guard lock(mutex);
          if (!frame) {
            break;
          }
          wrong[l] += frame->data != std::to_string(i) + filler;
          received[l] = i + 1;
          progressed.notify_all();
        }
        std::lock_guard lock(mutex);
        received[l] = messages;  // done, or failed: either way the sender need not wait
        progressed.notify_all();
      });
    }
    for (int i = 0; i < messages; ++i) {
      if (i % 256 == 0) {
        std::unique_lock lock(mutex);
        const bool kept_up = progressed.wait_for(lock, patience, [&] {
          return std::min_element(received.begin(), received.end())[0] >= i - 256;
        });
        REQUIRE(kept_up);
        if (rss_is_meaningful) {
          peak_rss = std::max(peak_rss.load(), rss_bytes());
        }
      }
      sender.send_text(std::to_string(i) + filler);
    }
    for (auto& reader : readers) {
      reader.join();
    }
    for (std::size_t l = 0; l < listeners.size(); ++l) {
      CHECK(wrong[l] == 0);
    }
    // The stalled client is closed with the policy's code and a reason, behind whatever
    // its socket had taken before the queue filled.
    CHECK(stalled.wait_for_close() == 1008);
    CHECK(stalled.close_reason() == "slow consumer: outbound queue full");
    const auto metrics = room.handle.metrics();
    CHECK(metrics.slow_consumer_closes_total == 1);
    CHECK(metrics.websocket_frames_in_total == messages);
    // An unbounded queue would have held most of the 80 MiB for the stalled client.
    if (rss_is_meaningful) {
      MESSAGE("RSS before " << rss_before / 1024 << " KiB, peak " << peak_rss / 1024 << " KiB");
      CHECK(peak_rss - rss_before < 32 * 1024 * 1024);
    }
  }

  TEST_CASE("the slow-consumer policy is the user's choice: 1013, or drop and stay open") {
    server::ServerConfig config;
    config.max_websocket_queue_bytes = 64 * 1024;
    SUBCASE("close with 1013") {
      config.websocket_slow_consumer = server::SlowConsumerPolicy::close_try_again_later;
      StalledListener room(config);
      // Far more than the queue and the socket buffers take (bounded: a server that never
      // applies the policy fails the test rather than growing forever).
      const std::string big(64 * 1024, 'y');
      for (int i = 0; i < 2000 && room.server.handle.metrics().slow_consumer_closes_total == 0;
           ++i) {
        room.sender.send_text(big);
      }
      CHECK(room.stalled.wait_for_close() == 1013);
    }
    SUBCASE("drop") {
      config.websocket_slow_consumer = server::SlowConsumerPolicy::drop_message;
      StalledListener room(config);
      // 400 x 64 KiB (25 MiB): far more than the queue and the socket buffers take (Debian's
      // defaults let loopback buffers grow to about 10 MiB).
      for (int i = 0; i < 400; ++i) {
        room.sender.send_text(std::string(64 * 1024, 'z'));
      }
      room.sender.send_text("last");
      // Some frames were dropped, none damaged; the connection stays open and gets the end.
      int frames = 0;
      while (true) {
        auto frame = room.stalled.receive();
        REQUIRE(frame.has_value());
        if (frame->data == "last") {
          break;
        }
        CHECK(frame->data == std::string(64 * 1024, 'z'));
        ++frames;
      }
      CHECK(frames < 400);
      CHECK(room.server.handle.metrics().slow_consumer_closes_total == 0);
    }
  }

  TEST_CASE("the idle timeout closes a silent client; pings keep a live one open") {
    server::ServerConfig config;
    config.websocket_idle_timeout = std::chrono::seconds(1);
    RoomServer room(config);
    // Raw clients, for what Beast's client does by itself: answering the server's pings.
    SUBCASE("a client that never answers is pinged, then dropped") {
      RawClient silent(room.port());
      REQUIRE(silent.upgrade("/room?user=silent"));
      int pings = 0;
      while (auto frame = silent.next_frame()) {
        pings += frame->opcode == 0x9;
      }
      CHECK(silent.wait_for_end(std::chrono::milliseconds(0)));  // dropped, not timed out
      CHECK(pings >= 1);  // it was asked before it was dropped
    }
    SUBCASE("a client that answers every ping stays open past many timeouts") {
      RawClient live(room.port());
      REQUIRE(live.upgrade("/room?user=live"));
      for (int pings = 0; pings < 6; ++pings) {  // three idle timeouts
        auto frame = live.next_frame();
        REQUIRE(frame.has_value());
        REQUIRE(frame->opcode == 0x9);
        REQUIRE(live.write(masked_frame(0x8A, frame->payload)));  // the pong, its payload
      }
      REQUIRE(live.write(masked_frame(0x81, "still here")));
      std::optional<RawClient::Frame> echo;
      do {
        echo = live.next_frame();
        REQUIRE(echo.has_value());
      } while (echo->opcode == 0x9);
      CHECK(echo->payload == "still here");
    }
  }

  TEST_CASE("beyond max_connections a client gets 503; a freed place admits the next") {
    server::ServerConfig config;
    config.max_connections = 3;
    RoomServer room(config);
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 3; ++i) {
      clients.push_back(
          std::make_unique<WsClient>(room.port(), "/room?user=c" + std::to_string(i)));
    }
    CHECK(WsClient::handshake_status(room.port(), "/room?user=extra") == 503);
    CHECK(HttpClient(room.port()).request("GET", "/room").status == 503);
    // The open ones carry on.
    clients[0]->send_text("still served");
    CHECK(clients[0]->receive_text() == "still served");
    CHECK(room.handle.metrics().connections_refused_total == 2);
    clients.back()->close();
    clients.pop_back();
    REQUIRE(eventually([&] { return room.handle.metrics().connections_open == 2; }));
    WsClient next(room.port(), "/room?user=next");
    next.send_text("admitted");
    CHECK(next.receive_text() == "admitted");
  }

  TEST_CASE(
      "stop() with 100 clients: every accepted message is delivered, every client gets "
      "1001, every on_close has run when it returns") {
    constexpr int clients_count = 100;
    constexpr int per_client = 20;
    // Each client's echoes, as it received them, and the close code it got.
    struct Seen {
      std::vector<std::string> echoes;
      std::uint16_t close_code = 0;
    };
    const auto read_all = [](WsClient& client, Seen& seen) {
      while (auto frame = client.receive()) {
        seen.echoes.push_back(frame->data);
      }
      seen.close_code = client.close_code();
    };
    const auto user = [](int c) { return "u" + std::to_string(c); };
    // Distinct texts per client, so an echo on the wrong connection cannot pass for another.
    const auto text = [&](int c, int i) { return user(c) + "-m" + std::to_string(i); };

    RoomServer room;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int c = 0; c < clients_count; ++c) {
      clients.push_back(std::make_unique<WsClient>(room.port(), "/room?user=" + user(c)));
    }
    // Each client's first message is echoed before the stop, so some are surely accepted;
    // the others are on their way (some read by the server, some still in its socket
    // buffers) when stop() begins.
    std::vector<Seen> seen(clients_count);
    for (int c = 0; c < clients_count; ++c) {
      clients[c]->send_text(text(c, 0));
    }
    for (int c = 0; c < clients_count; ++c) {
      seen[c].echoes.push_back(clients[c]->receive_text());
    }
    for (int i = 1; i < per_client; ++i) {
      for (int c = 0; c < clients_count; ++c) {
        clients[c]->send_text(text(c, i));
      }
    }
    std::uint16_t server_side_close = 0;  // what on_message's ConnectionClosed says
    SUBCASE("clients reading while it stops: each answers the close, on_close hears 1001") {
      std::vector<std::thread> readers;
      for (int c = 0; c < clients_count; ++c) {
        readers.emplace_back([&, c] { read_all(*clients[c], seen[c]); });
      }
      room.handle.stop();
      for (auto& reader : readers) {
        reader.join();
      }
      server_side_close = 1001;
    }
    SUBCASE("clients that read only afterwards: cut after the closing handshake's timeout") {
      room.handle.stop();
      for (int c = 0; c < clients_count; ++c) {
        read_all(*clients[c], seen[c]);
      }
      server_side_close = 1006;  // the server's close went unanswered
    }
    std::lock_guard lock(room.services.tally->mutex);
    CHECK(room.services.tally->closes == clients_count);  // before stop() returned
    int accepted = 0;
    for (int c = 0; c < clients_count; ++c) {
      INFO("client " << user(c));
      const auto& echoes = seen[c].echoes;
      for (std::size_t i = 0; i < echoes.size(); ++i) {
        CHECK(echoes[i] == text(c, static_cast<int>(i)));
      }
      CHECK(seen[c].close_code == 1001);
      CHECK(static_cast<int>(echoes.size()) == room.services.tally->echoed[user(c)]);
      CHECK(room.services.tally->closed_with[user(c)] == server_side_close);
      accepted += static_cast<int>(echoes.size());
    }
    // What the server wrote, by its own count: tells a frame the server dropped from one a
    // client missed.
    CHECK(room.handle.metrics().websocket_frames_out_total == static_cast<std::uint64_t>(accepted));
    MESSAGE(accepted << " of " << clients_count * per_client
                     << " messages were read before the stop and echoed");
    CHECK(accepted >= clients_count);
  }

  TEST_CASE("the health and metrics routes; the counters readable from code") {
    server::ServerConfig config;
    config.health_route = "/healthz";
    config.metrics_route = "/metrics";
    RoomServer room(config);
    HttpClient http(room.port());
    const auto health = http.request("GET", "/healthz");
    CHECK(health.status == 200);
    CHECK(health.body == "ok\n");
    CHECK(http.request("GET", "/boom").status == 500);
    {
      WsClient client(room.port(), "/room?user=counted");
      for (const auto* text : {"one", "two", "three"}) {
        client.send_text(text);
        CHECK(client.receive_text() == text);
      }
      const auto live = room.handle.metrics();
      CHECK(live.websocket_connections_open == 1);
      CHECK(live.connections_open == 2);  // this WebSocket and the HTTP client
      client.close();
    }
    REQUIRE(eventually([&] { return room.handle.metrics().websocket_connections_open == 0; }));
    const auto metrics = room.handle.metrics();
    CHECK(metrics.websocket_frames_in_total == 3);
    CHECK(metrics.websocket_bytes_in_total == 11);
    CHECK(metrics.websocket_frames_out_total == 3);
    CHECK(metrics.websocket_bytes_out_total == 11);
    CHECK(metrics.handler_exceptions_total == 1);
    CHECK(metrics.connections_accepted_total == 2);
    const auto exposed = http.request("GET", "/metrics");
    CHECK(exposed.status == 200);
    CHECK(exposed.header("Content-Type").starts_with("text/plain; version=0.0.4"));
    CHECK(exposed.body.find("# TYPE dream_connections_open gauge\n") != std::string::npos);
    CHECK(exposed.body.find("\ndream_connections_open 1\n") != std::string::npos);
    CHECK(exposed.body.find("\ndream_websocket_frames_in_total 3\n") != std::string::npos);
    CHECK(exposed.body.find("\ndream_handler_exceptions_total 1\n") != std::string::npos);
  }

  TEST_CASE("prometheus_text names every counter with its type") {
    server::ServerMetrics metrics;
    metrics.connections_open = 7;
    metrics.slow_consumer_closes_total = 2;
    const auto text = server::prometheus_text(metrics);
    CHECK(text.find("# HELP dream_connections_open ") != std::string::npos);
    CHECK(text.find("\ndream_connections_open 7\n") != std::string::npos);
    CHECK(text.find("# TYPE dream_slow_consumer_closes_total counter\n") != std::string::npos);
    CHECK(text.find("\ndream_slow_consumer_closes_total 2\n") != std::string::npos);
    // Ten metrics, three lines each.
    CHECK(std::count(text.begin(), text.end(), '\n') == 30);
  }
}
