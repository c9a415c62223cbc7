// Streamed responses and requests (docs/streaming.md) over real TCP: chunked encoding, memory
// that stays flat for 100 MiB bodies, backpressure, HEAD, keep-alive, producers that throw.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "dream/servers/beast/server.hpp"
#include "process_memory.hpp"
#include "stream_client.hpp"

using namespace dream;
using namespace dream::http;
namespace server = dream::servers::beast;
using test_support::head_field;
using test_support::rss_bytes;
using test_support::rss_is_meaningful;
using test_support::StreamClient;

namespace {

constexpr std::size_t chunk_bytes = 64 * 1024;
constexpr std::size_t mib = 1024 * 1024;

// The byte at `offset` of a generated body: a pattern the client can check as it arrives.
char pattern_byte(std::size_t offset) {
  return static_cast<char>('a' + offset % 23);
}

// Producers' bookkeeping, for the tests to look at (controllers are plain functions).
std::atomic<std::size_t> chunks_produced{0};
std::atomic<int> producers_alive{0};

struct Pattern {
  std::size_t offset = 0;
  std::size_t total = 0;  // bytes to produce
  explicit Pattern(std::size_t total_bytes) : total(total_bytes) { ++producers_alive; }
  Pattern(Pattern&& other) noexcept : offset(other.offset), total(other.total) {
    ++producers_alive;
  }
  ~Pattern() { --producers_alive; }
};

std::optional<std::string> next_pattern_chunk(Pattern& state) {
  if (state.offset == state.total) {
    return std::nullopt;
  }
  ++chunks_produced;
  const auto size = std::min(chunk_bytes, state.total - state.offset);
  std::string chunk(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    chunk[i] = pattern_byte(state.offset + i);
  }
  state.offset += size;
  return chunk;
}

Response download(const Request& request, EmptyContext&, const EmptyServices&) {
  const auto size = std::stoull(request.query_param("bytes").value_or("0"));
  return stream_response(status::ok, "application/octet-stream", Pattern(size), next_pattern_chunk);
}

// Dream's CSV example: a header line, then one row per call.
struct CsvRows {
  int next_row = 0;
  int rows = 0;
};
std::optional<std::string> next_csv_row(CsvRows& state) {
  if (state.next_row > state.rows) {
    return std::nullopt;
  }
  const int row = state.next_row++;
  if (row == 0) {
    return "id,square\n";
  }
  return std::to_string(row) + "," + std::to_string(row * row) + "\n";
}
Response export_csv(const Request&, EmptyContext&, const EmptyServices&) {
  auto response = stream_response(status::ok, "text/csv", CsvRows{0, 1000}, next_csv_row);
  response.headers.set("Content-Disposition", "attachment; filename=\"squares.csv\"");
  return response;
}

std::optional<std::string> next_then_throw(int& calls) {
  if (++calls > 3) {
    throw std::runtime_error("the database went away");
  }
  return std::string("row\n");
}
Response failing_export(const Request&, EmptyContext&, const EmptyServices&) {
  return stream_response(status::ok, "text/csv", 0, next_then_throw);
}

// Reads the upload chunk by chunk, checking it against the pattern as it comes.
Response upload(const Request& request, EmptyContext&, const EmptyServices&) {
  std::size_t received = 0;
  std::size_t mismatches = 0;
  std::size_t largest_chunk = 0;
  while (auto chunk = request.body_stream().next_chunk()) {
    largest_chunk = std::max(largest_chunk, chunk->size());
    for (const char c : *chunk) {
      mismatches += c != pattern_byte(received++);
    }
  }
  return text_response(status::ok, "bytes=" + std::to_string(received) +
                                       " mismatches=" + std::to_string(mismatches) +
                                       " largest_chunk=" + std::to_string(largest_chunk));
}

// Reads one chunk and answers, leaving the rest of the body unread.
Response peek(const Request& request, EmptyContext&, const EmptyServices&) {
  const auto chunk = request.body_stream().next_chunk();
  return text_response(status::ok, std::to_string(chunk ? chunk->size() : 0));
}

// body_stream() on an ordinary route: a programming error.
Response misused(const Request& request, EmptyContext&, const EmptyServices&) {
  request.body_stream();
  return text_response(status::ok, "unreachable");
}

// A lambda without captures does as well as a named function.
Response countdown(const Request&, EmptyContext&, const EmptyServices&) {
  return stream_response(status::ok, "text/plain", 3, [](int& left) -> std::optional<std::string> {
    if (left == 0) {
      return std::nullopt;
    }
    return std::to_string(left--) + "\n";
  });
}

Response hello(const Request&, EmptyContext&, const EmptyServices&) {
  return text_response(status::ok, "hello");
}

Router<EmptyContext, EmptyServices> app() {
  return router<EmptyContext, EmptyServices>()
      .route(Method::Get, "/download", download)
      .route(Method::Get, "/export.csv", export_csv)
      .route(Method::Get, "/failing.csv", failing_export)
      .stream_route(Method::Post, "/upload", upload)
      .stream_route(Method::Post, "/peek", peek)
      .route(Method::Post, "/misused", misused)
      .route(Method::Get, "/countdown", countdown)
      .route(Method::Get, "/hello", hello);
}

server::ServerHandle start_app(server::ServerConfig config = {}) {
  return server::create().router(app()).config(std::move(config)).start(0);
}

std::string get(const std::string& target, const std::string& method = "GET") {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

std::string pattern(std::size_t offset, std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    data[i] = pattern_byte(offset + i);
  }
  return data;
}

std::string post_head(const std::string& target, const std::string& framing) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + framing + "\r\n\r\n";
}

// Waits up to 10 s for `done`, which the server's threads make true.
template <class Predicate>
bool eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

}  // namespace

TEST_SUITE("streaming") {
  TEST_CASE("a 100 MiB streamed download arrives whole, chunked, while memory stays flat") {
    auto handle = start_app();
    StreamClient client(handle.port());
    const std::size_t total = 100 * mib;
    const auto rss_before = rss_bytes();
    client.send(get("/download?bytes=" + std::to_string(total)));
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    CHECK(head_field(head, "Transfer-Encoding") == "chunked");
    CHECK(head_field(head, "Content-Length").empty());
    CHECK(head_field(head, "Content-Type") == "application/octet-stream");
    std::size_t received = 0;
    std::size_t mismatches = 0;
    std::size_t rss_peak = rss_before;
    const bool complete = client.read_chunked([&](std::string_view data) {
      for (const char c : data) {
        mismatches += c != pattern_byte(received++);
      }
      if (received % (8 * mib) < data.size()) {
        rss_peak = std::max(rss_peak, rss_bytes());
      }
    });
    rss_peak = std::max(rss_peak, rss_bytes());
    CHECK(complete);
    CHECK(received == total);
    CHECK(mismatches == 0);
    MESSAGE("RSS before " << rss_before / 1024 << " KiB, peak during the download "
                          << rss_peak / 1024 << " KiB, growth " << (rss_peak - rss_before) / 1024
                          << " KiB");
    if (rss_is_meaningful) {
      CHECK(rss_peak - rss_before < 8 * mib);
    }
  }

  TEST_CASE("a CSV export, row by row, with the controller's headers") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(get("/export.csv"));
    const auto head = client.read_head();
    CHECK(head_field(head, "Content-Type") == "text/csv");
    CHECK(head_field(head, "Content-Disposition") == "attachment; filename=\"squares.csv\"");
    std::string csv;
    REQUIRE(client.read_chunked([&](std::string_view data) { csv.append(data); }));
    CHECK(csv.starts_with("id,square\n1,1\n2,4\n3,9\n"));
    CHECK(csv.ends_with("\n1000,1000000\n"));
  }

  TEST_CASE("a producer may be a lambda without captures") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(get("/countdown"));
    CHECK(client.read_head().starts_with("HTTP/1.1 200"));
    std::string body;
    REQUIRE(client.read_chunked([&](std::string_view data) { body.append(data); }));
    CHECK(body == "3\n2\n1\n");
  }

  TEST_CASE("keep-alive: the connection serves another request after a streamed response") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(get("/export.csv") + get("/hello"));  // pipelined, too
    CHECK(client.read_head().starts_with("HTTP/1.1 200"));
    std::size_t bytes = 0;
    REQUIRE(client.read_chunked([&](std::string_view data) { bytes += data.size(); }));
    CHECK(bytes > 0);
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    CHECK(client.read_exact(5) == "hello");
  }

  TEST_CASE("HEAD gets the head of a streamed response and the producer never runs") {
    auto handle = start_app();
    StreamClient client(handle.port());
    chunks_produced = 0;
    client.send(get("/download?bytes=1000000", "HEAD") + get("/hello"));
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    CHECK(head_field(head, "Transfer-Encoding") == "chunked");
    // No body: the very next bytes are the answer to the next request.
    CHECK(client.read_head().starts_with("HTTP/1.1 200"));
    CHECK(client.read_exact(5) == "hello");
    CHECK(chunks_produced == 0);
    CHECK(eventually([] { return producers_alive == 0; }));
  }

  TEST_CASE("backpressure: a client that stops reading stops the producer") {
    auto handle = start_app();
    chunks_produced = 0;
    StreamClient client(handle.port(), 64 * 1024);
    client.send(get("/download?bytes=" + std::to_string(1024 * mib)));  // 1 GiB, never read
    client.read_head();
    std::size_t received = 0;
    struct StopReading {};
    try {
      client.read_chunked([&](std::string_view data) {
        received += data.size();
        if (received >= mib) {
          throw StopReading{};
        }
      });
      FAIL("the gigabyte arrived");
    } catch (const StopReading&) {
    }
    // The client reads no more. The producer may fill the sockets' buffers (a few MiB on
    // loopback) and must then wait: its count settles (no change for half a second; a
    // producer running ahead would make ~16000 chunks) within a bound.
    std::size_t last = chunks_produced;
    auto settled_since = std::chrono::steady_clock::now();
    const auto deadline = settled_since + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() - settled_since < std::chrono::milliseconds(500) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (chunks_produced != last) {
        last = chunks_produced;
        settled_since = std::chrono::steady_clock::now();
      }
    }
    MESSAGE("read " << received / 1024 << " KiB; produced " << last * chunk_bytes / 1024 << " KiB");
    CHECK(last * chunk_bytes <= received + 16 * mib);
  }

  TEST_CASE("a client that goes away stops the producer, and its state is freed") {
    auto handle = start_app();
    {
      StreamClient client(handle.port());
      client.send(get("/download?bytes=" + std::to_string(1024 * mib)));
      client.read_head();
      struct StopReading {};
      try {
        client.read_chunked([](std::string_view) { throw StopReading{}; });
      } catch (const StopReading&) {
      }
    }  // closed with data unread: the server's next write fails
    CHECK(eventually([] { return producers_alive == 0; }));
    // And the server carries on.
    StreamClient next(handle.port());
    next.send(get("/hello"));
    CHECK(next.read_head().starts_with("HTTP/1.1 200"));
  }

  TEST_CASE("a producer that throws ends the response and closes the connection") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(get("/failing.csv"));
    CHECK(client.read_head().starts_with("HTTP/1.1 200"));
    std::string body;
    CHECK_FALSE(client.read_chunked([&](std::string_view data) { body.append(data); }));
    CHECK(body == "row\nrow\nrow\n");
    StreamClient next(handle.port());
    next.send(get("/hello"));
    CHECK(next.read_head().starts_with("HTTP/1.1 200"));
  }

  TEST_CASE("a 100 MiB streamed upload is read in chunks while memory stays flat") {
    server::ServerConfig config;
    config.max_streamed_body_bytes = 200 * mib;
    auto handle = start_app(config);
    StreamClient client(handle.port());
    const std::size_t total = 100 * mib;
    const auto rss_before = rss_bytes();
    std::size_t rss_peak = rss_before;
    client.send(post_head("/upload", "Content-Length: " + std::to_string(total)));
    for (std::size_t sent = 0; sent < total; sent += chunk_bytes) {
      client.send(pattern(sent, chunk_bytes));  // made as it is sent, never held whole
      if (sent % (8 * mib) == 0) {
        rss_peak = std::max(rss_peak, rss_bytes());
      }
    }
    const auto head = client.read_head();
    rss_peak = std::max(rss_peak, rss_bytes());
    CHECK(head.starts_with("HTTP/1.1 200"));
    const auto body = client.read_exact(std::stoul(head_field(head, "Content-Length")));
    CHECK(body == "bytes=104857600 mismatches=0 largest_chunk=65536");
    MESSAGE("RSS before " << rss_before / 1024 << " KiB, peak during the upload " << rss_peak / 1024
                          << " KiB, growth " << (rss_peak - rss_before) / 1024 << " KiB");
    if (rss_is_meaningful) {
      CHECK(rss_peak - rss_before < 8 * mib);
    }
  }

  TEST_CASE("a chunked upload on a stream route, then the connection is kept alive") {
    auto handle = start_app();
    StreamClient client(handle.port());
    std::string request = post_head("/upload", "Transfer-Encoding: chunked");
    std::size_t offset = 0;
    for (const std::size_t size : {1, 1000, 70000, 5}) {
      char hex[32];
      std::snprintf(hex, sizeof hex, "%zx\r\n", size);
      request += hex + pattern(offset, size) + "\r\n";
      offset += size;
    }
    request += "0\r\n\r\n";
    client.send(request + get("/hello"));
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    const auto body = client.read_exact(std::stoul(head_field(head, "Content-Length")));
    CHECK(body.starts_with("bytes=71006 mismatches=0 "));
    CHECK(client.read_head().starts_with("HTTP/1.1 200"));
    CHECK(client.read_exact(5) == "hello");
  }

  TEST_CASE("Expect: 100-continue gets its interim response when the controller reads") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(post_head("/upload", "Content-Length: 10\r\nExpect: 100-continue"));
    CHECK(client.read_head() == "HTTP/1.1 100 Continue\r\n\r\n");  // before any body byte
    client.send(pattern(0, 10));
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    const auto body = client.read_exact(std::stoul(head_field(head, "Content-Length")));
    CHECK(body.starts_with("bytes=10 mismatches=0 "));
  }

  TEST_CASE("stopping the server does not wait for a stalled upload") {
    server::ServerConfig config;
    config.request_timeout = std::chrono::seconds(60);
    auto handle = start_app(config);
    StreamClient client(handle.port());
    client.send(post_head("/upload", "Content-Length: 1000\r\nExpect: 100-continue"));
    REQUIRE(client.read_head().starts_with("HTTP/1.1 100"));  // the controller is reading
    client.send(pattern(0, 10));                              // and then nothing more
    const auto started = std::chrono::steady_clock::now();
    handle.stop();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
  }

  TEST_CASE("a malformed chunked body gives 400, a stalled one 408, both logged and closed") {
    server::ServerConfig config;
    config.request_timeout = std::chrono::seconds(1);
    auto handle = start_app(config);
    SUBCASE("malformed") {
      StreamClient client(handle.port());
      client.send(post_head("/upload", "Transfer-Encoding: chunked") + "zz\r\nhello\r\n");
      CHECK(client.read_head().starts_with("HTTP/1.1 400"));
    }
    SUBCASE("stalled") {
      StreamClient client(handle.port());
      client.send(post_head("/upload", "Content-Length: 100") + "only this");
      CHECK(client.read_head().starts_with("HTTP/1.1 408"));
    }
  }

  TEST_CASE("body_stream() on an ordinary route is a 500, not a crash") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(post_head("/misused", "Content-Length: 2") + "hi");
    CHECK(client.read_head().starts_with("HTTP/1.1 500"));
  }

  TEST_CASE("a stream route's body limit gives 413, and other connections carry on") {
    server::ServerConfig config;
    config.max_streamed_body_bytes = mib;
    auto handle = start_app(config);
    StreamClient neighbour(handle.port());

    SUBCASE("announced by Content-Length: refused before the body") {
      StreamClient client(handle.port());
      client.send(post_head("/upload", "Content-Length: " + std::to_string(2 * mib)));
      CHECK(client.read_head().starts_with("HTTP/1.1 413"));
    }
    SUBCASE("found while reading a chunked body") {
      StreamClient client(handle.port());
      std::string request = post_head("/upload", "Transfer-Encoding: chunked");
      for (std::size_t sent = 0; sent < mib + 2 * chunk_bytes; sent += chunk_bytes) {
        request += "10000\r\n" + pattern(sent, chunk_bytes) + "\r\n";
      }
      client.send(request);
      CHECK(client.read_head().starts_with("HTTP/1.1 413"));
    }
    neighbour.send(get("/hello"));
    CHECK(neighbour.read_head().starts_with("HTTP/1.1 200"));
    CHECK(neighbour.read_exact(5) == "hello");
  }

  TEST_CASE("a stream route that leaves its body unread answers, then closes the connection") {
    auto handle = start_app();
    StreamClient client(handle.port());
    client.send(post_head("/peek", "Content-Length: 200000") + pattern(0, 200000));
    const auto head = client.read_head();
    CHECK(head.starts_with("HTTP/1.1 200"));
    CHECK(head_field(head, "Connection") == "close");
    const auto first_chunk = client.read_exact(std::stoul(head_field(head, "Content-Length")));
    CHECK(std::stoul(first_chunk) > 0);
    CHECK(std::stoul(first_chunk) <= 65536);
    CHECK(client.closed_by_server());
  }

  TEST_CASE("an ordinary route keeps the ordinary body limit") {
    server::ServerConfig config;
    config.max_body_bytes = 1000;
    auto handle = start_app(config);
    StreamClient client(handle.port());
    client.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n");
    CHECK(client.read_head().starts_with("HTTP/1.1 413"));
  }
}
