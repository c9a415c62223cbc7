// TLS (https, wss): real sockets, a certificate made for the test, clients that verify it.
#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "dream/servers/beast/server.hpp"
#include "support.hpp"
#include "tls_client.hpp"
#include "tls_fixture.hpp"

using namespace dream;
using namespace dream::http;
namespace server = dream::servers::beast;
using namespace test_support;

namespace {

using AppRouter = Router<EmptyContext, EmptyServices>;

Response hello(const Request& request, EmptyContext&, const EmptyServices&) {
  return text_response(status::ok, "hello " + request.query_param("name").value_or("nobody"));
}
// A stream route: its body is read from the socket, through TLS, as the controller asks.
Response count_bytes(const Request& request, EmptyContext&, const EmptyServices&) {
  std::size_t bytes = 0;
  while (auto chunk = request.body_stream().next_chunk()) {
    bytes += chunk->size();
  }
  return text_response(status::ok, std::to_string(bytes));
}

server::ServerConfig tls_config(const SelfSignedCertificate& certificate) {
  server::ServerConfig config;
  config.tls_certificate_file = certificate.certificate_file();
  config.tls_private_key_file = certificate.key_file();
  return config;
}

server::ServerHandle start_app(const server::ServerConfig& config) {
  return server::create()
      .config(config)
      .router(router<EmptyContext, EmptyServices>()
                  .route(Method::Get, "/hello", hello)
                  .stream_route(Method::Post, "/count", count_bytes))
      .start(0);
}

// Connects over plain TCP, sends `bytes` (perhaps none), and reads until the server ends the
// connection, waiting at most `bound`: what it sent, and the read's final error (end of file
// or a reset; timeout if the server never closed).
struct PlainExchange {
  std::string received;
  boost::system::error_code end;
};
PlainExchange plain_exchange(std::uint16_t port, const std::string& bytes,
                             std::chrono::seconds bound) {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  stream.expires_after(bound);
  PlainExchange result;
  char chunk[4096];
  std::function<void(boost::system::error_code, std::size_t)> on_read =
      [&](boost::system::error_code ec, std::size_t n) {
        result.received.append(chunk, n);
        if (ec) {
          result.end = ec;
          return;
        }
        stream.async_read_some(boost::asio::buffer(chunk), on_read);
      };
  boost::asio::async_write(stream, boost::asio::buffer(bytes),
                           [&](boost::system::error_code ec, std::size_t) {
                             if (ec) {
                               result.end = ec;
                               return;
                             }
                             stream.async_read_some(boost::asio::buffer(chunk), on_read);
                           });
  ioc.run();
  return result;
}

}  // namespace

TEST_SUITE("tls") {
  TEST_CASE("TLS: an HTTPS GET round trip, the client verifying the server's certificate") {
    SelfSignedCertificate certificate;
    auto handle = start_app(tls_config(certificate));
    const auto reply =
        https_request(handle.port(), certificate.certificate_file(), "GET", "/hello?name=tls");
    CHECK(reply.status == 200);
    CHECK(reply.body == "hello tls");
    // A client that trusts another certificate refuses this server.
    SelfSignedCertificate other;
    CHECK_THROWS_AS(https_request(handle.port(), other.certificate_file(), "GET", "/hello"),
                    std::runtime_error);
  }

  TEST_CASE("TLS: clients on several I/O threads at once share the one TLS context") {
    SelfSignedCertificate certificate;
    auto config = tls_config(certificate);
    config.io_threads = 2;
    auto handle = start_app(config);
    std::vector<std::thread> clients;
    std::vector<std::string> bodies(4);
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      clients.emplace_back([&, i] {
        const auto name = "client" + std::to_string(i);
        try {
          bodies[i] = https_request(handle.port(), certificate.certificate_file(), "GET",
                                    "/hello?name=" + name)
                          .body;
        } catch (const std::exception& e) {
          bodies[i] = e.what();  // a failure shows in the check below, not as a crash
        }
      });
    }
    for (auto& client : clients) {
      client.join();
    }
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      CHECK(bodies[i] == "hello client" + std::to_string(i));
    }
  }

  TEST_CASE("TLS: a stream route reads its body through TLS") {
    SelfSignedCertificate certificate;
    auto handle = start_app(tls_config(certificate));
    const std::string body(300 * 1024, 'x');  // several TLS records and socket reads
    const auto reply =
        https_request(handle.port(), certificate.certificate_file(), "POST", "/count", body);
    CHECK(reply.status == 200);
    CHECK(reply.body == std::to_string(body.size()));
  }

  TEST_CASE("TLS: a body over the limit gets its 413, though the client is still sending it") {
    SelfSignedCertificate certificate;
    auto config = tls_config(certificate);
    config.max_body_bytes = 64 * 1024;
    auto handle = start_app(config);
    // The server answers after the head and ends TLS while the body still comes: what the
    // client sends after that (up to the limit, as for plain HTTP) is read and dropped, so no
    // reset destroys the answer before the client reads it.
    const std::string body(config.max_body_bytes + 1, 'x');
    const auto reply =
        https_request(handle.port(), certificate.certificate_file(), "POST", "/hello", body);
    CHECK(reply.status == 413);
  }

  TEST_CASE("TLS: plain HTTP to the TLS port is closed unanswered, and TLS clients carry on") {
    SelfSignedCertificate certificate;
    auto handle = start_app(tls_config(certificate));
    const auto plain = plain_exchange(handle.port(), "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n",
                                      std::chrono::seconds(20));
    CHECK(plain.end != boost::beast::error::timeout);  // closed, not left hanging
    CHECK(plain.received.find("HTTP/1.1") == std::string::npos);
    CHECK(plain.received.find("hello") == std::string::npos);
    const auto reply =
        https_request(handle.port(), certificate.certificate_file(), "GET", "/hello?name=again");
    CHECK(reply.body == "hello again");
  }

  TEST_CASE("TLS: a client that never starts its handshake is closed after request_timeout") {
    SelfSignedCertificate certificate;
    auto config = tls_config(certificate);
    config.request_timeout = std::chrono::seconds(1);
    auto handle = start_app(config);
    // The bound is far beyond the server's timeout: reaching it means the server never closed.
    const auto silent = plain_exchange(handle.port(), "", std::chrono::seconds(20));
    CHECK(silent.end != boost::beast::error::timeout);
    CHECK((silent.end == boost::asio::error::eof ||
           silent.end == boost::asio::error::connection_reset));
    CHECK(silent.received.empty());
    // The server still serves.
    CHECK(https_request(handle.port(), certificate.certificate_file(), "GET", "/hello").status ==
          200);
  }

  TEST_CASE("TLS: start() refuses a half or unusable TLS configuration") {
    SelfSignedCertificate certificate;
    SelfSignedCertificate other;
    auto config = tls_config(certificate);
    SUBCASE("a certificate without a key") {
      config.tls_private_key_file.clear();
      CHECK_THROWS_AS(start_app(config), std::invalid_argument);
    }
    SUBCASE("a key without a certificate") {
      config.tls_certificate_file.clear();
      CHECK_THROWS_AS(start_app(config), std::invalid_argument);
    }
    SUBCASE("a certificate file that does not exist") {
      config.tls_certificate_file = certificate.directory() + "/missing.pem";
      CHECK_THROWS_WITH_AS(start_app(config), doctest::Contains("missing.pem"),
                           std::invalid_argument);
    }
    SUBCASE("a key file that does not exist") {
      config.tls_private_key_file = certificate.directory() + "/missing.pem";
      CHECK_THROWS_AS(start_app(config), std::invalid_argument);
    }
    SUBCASE("a key in place of the certificate") {
      config.tls_certificate_file = certificate.key_file();
      CHECK_THROWS_AS(start_app(config), std::invalid_argument);
    }
    SUBCASE("another certificate's key") {
      config.tls_private_key_file = other.key_file();
      CHECK_THROWS_WITH_AS(start_app(config), doctest::Contains("mismatch"), std::invalid_argument);
    }
  }
}
