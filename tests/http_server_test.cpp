#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>
#include <string>

#include "dream/servers/beast/server.hpp"
#include "http_client.hpp"

using namespace dream;
using namespace dream::http;
namespace server = dream::servers::beast;
using test_support::HttpClient;
using test_support::raw_exchange;

namespace {

struct Services {
  std::string greeting;
  server::ServerHandle** handle = nullptr;  // for the controller that tries to stop its server
};
using AppRouter = Router<EmptyContext, Services>;

Response hello(const Request& request, EmptyContext&, const Services& services) {
  return text_response(status::ok,
                       services.greeting + " " + request.query_param("name").value_or("nobody"));
}
Response echo(const Request& request, EmptyContext&, const Services&) {
  return text_response(status::ok, request.body);
}
Response boom(const Request&, EmptyContext&, const Services&) {
  throw std::runtime_error("controller failure");
}

Response no_content_with_body(const Request&, EmptyContext&, const Services&) {
  return text_response(status::no_content, "a 204 has no body");
}
Response bad_status(const Request&, EmptyContext&, const Services&) {
  return text_response(1000, "not a status");
}
// Redirects to a target the client chose: a classic header-injection hole.
Response go(const Request& request, EmptyContext&, const Services&) {
  return redirect_response(status::see_other, request.query_param("next").value_or("/"));
}
Response stop_myself(const Request&, EmptyContext&, const Services& services) {
  try {
    (*services.handle)->stop();
  } catch (const std::logic_error& e) {
    return text_response(status::ok, e.what());
  }
  return text_response(status::ok, "stopped?");
}

AppRouter app() {
  return router<EmptyContext, Services>()
      .route(Method::Get, "/hello", hello)
      .route(Method::Post, "/echo", echo)
      .route(Method::Get, "/boom", boom)
      .route(Method::Get, "/no-content", no_content_with_body)
      .route(Method::Get, "/bad-status", bad_status)
      .route(Method::Get, "/go", go)
      .route(Method::Get, "/stop", stop_myself);
}

server::ServerHandle start_app(server::ServerConfig config = {}) {
  return server::create().services(Services{"hello"}).config(config).router(app()).start(0);
}

}  // namespace

TEST_SUITE("http") {
  TEST_CASE("start(0) picks a free port and serves a controller") {
    auto handle = start_app();
    CHECK(handle.port() != 0);
    HttpClient client(handle.port());
    auto reply = client.request("GET", "/hello?name=J%C3%BCrgen");
    CHECK(reply.status == 200);
    CHECK(reply.body == "hello Jürgen");
    CHECK(reply.header("Content-Type") == "text/plain; charset=utf-8");
  }

  TEST_CASE("keep-alive: several requests on one connection") {
    auto handle = start_app();
    HttpClient client(handle.port());
    for (int i = 0; i < 3; ++i) {
      auto reply = client.request("GET", "/hello?name=" + std::to_string(i));
      CHECK(reply.status == 200);
      CHECK(reply.body == "hello " + std::to_string(i));
      CHECK(reply.keep_alive);
    }
    auto last = client.request("GET", "/hello", {}, {{"Connection", "close"}});
    CHECK(last.status == 200);
    CHECK_FALSE(last.keep_alive);
    CHECK(client.closed_by_server());
  }

  TEST_CASE("HEAD gets GET's headers and length, and no body") {
    auto handle = start_app();
    HttpClient client(handle.port());
    auto reply = client.request("HEAD", "/hello?name=x");
    CHECK(reply.status == 200);
    CHECK(reply.header("Content-Length") == "7");  // "hello x"
    CHECK(reply.body.empty());
    // The connection is still usable: no stray body bytes were sent.
    CHECK(client.request("GET", "/hello?name=y").body == "hello y");
  }

  TEST_CASE("404, and 405 with Allow, over the wire") {
    auto handle = start_app();
    HttpClient client(handle.port());
    CHECK(client.request("GET", "/nowhere").status == 404);
    auto refused = client.request("PUT", "/hello");
    CHECK(refused.status == 405);
    CHECK(refused.header("Allow") == "GET, HEAD");
  }

  TEST_CASE("a body over the limit gets 413 and the server carries on") {
    server::ServerConfig config;
    config.max_body_bytes = 1024;
    auto handle = start_app(config);
    HttpClient small(handle.port());
    CHECK(small.request("POST", "/echo", std::string(1024, 'a')).body == std::string(1024, 'a'));
    HttpClient big(handle.port());
    CHECK(big.request("POST", "/echo", std::string(1025, 'a')).status == 413);
    CHECK(HttpClient(handle.port()).request("GET", "/hello").status == 200);
  }

  TEST_CASE("headers over the limit get 431") {
    server::ServerConfig config;
    config.max_header_bytes = 1024;
    auto handle = start_app(config);
    HttpClient client(handle.port());
    auto reply = client.request("GET", "/hello", {}, {{"X-Padding", std::string(2000, 'p')}});
    CHECK(reply.status == 431);
    CHECK(HttpClient(handle.port()).request("GET", "/hello").status == 200);
  }

  TEST_CASE("malformed requests get 400 and a closed connection") {
    auto handle = start_app();
    auto garbage = raw_exchange(handle.port(), "THIS IS NOT HTTP\r\n\r\n");
    CHECK(garbage.starts_with("HTTP/1.1 400"));
    auto bad_target = raw_exchange(handle.port(), "GET hello HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(bad_target.starts_with("HTTP/1.1 400"));
    auto unknown_method =
        raw_exchange(handle.port(), "BREW /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(unknown_method.starts_with("HTTP/1.1 501"));
    CHECK(HttpClient(handle.port()).request("GET", "/hello").status == 200);
  }

  TEST_CASE("a controller that throws gets 500; other requests carry on") {
    auto handle = start_app();
    HttpClient client(handle.port());
    auto reply = client.request("GET", "/boom");
    CHECK(reply.status == 500);
    CHECK(reply.body == "Internal Server Error");
    CHECK(client.request("GET", "/hello").status == 200);
  }

  TEST_CASE("a response that cannot be sent as it is never crashes the server") {
    auto handle = start_app();
    HttpClient client(handle.port());
    auto no_content = client.request("GET", "/no-content");
    CHECK(no_content.status == 204);
    CHECK(no_content.body.empty());
    CHECK(client.request("GET", "/bad-status").status == 500);
    CHECK(client.request("GET", "/hello").status == 200);
  }

  TEST_CASE("a header value with CR or LF is refused: no response splitting") {
    auto handle = start_app();
    HttpClient client(handle.port());
    CHECK(client.request("GET", "/go?next=/home").header("Location") == "/home");
    auto attack = client.request("GET", "/go?next=/x%0D%0ASet-Cookie:%20evil=1");
    CHECK(attack.status == 500);
    CHECK(attack.header("Set-Cookie").empty());
    CHECK(attack.header("Location").empty());
  }

  TEST_CASE("stop() from a controller is refused, and the server still stops cleanly later") {
    server::ServerHandle* self = nullptr;
    auto handle = server::create().services(Services{"hello", &self}).router(app()).start(0);
    self = &handle;
    HttpClient client(handle.port());
    auto reply = client.request("GET", "/stop");
    CHECK(reply.body.find("own I/O threads") != std::string::npos);
    CHECK(client.request("GET", "/hello").status == 200);
    handle.stop();
    CHECK(client.closed_by_server());
  }

  TEST_CASE("stop() closes open connections and frees the port") {
    auto handle = start_app();
    const auto port = handle.port();
    HttpClient idle(port);
    CHECK(idle.request("GET", "/hello").status == 200);
    handle.stop();
    CHECK(idle.closed_by_server());
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    CHECK(ec == boost::asio::error::connection_refused);
  }

  TEST_CASE("a port already in use is a clear error") {
    auto first = start_app();
    CHECK_THROWS_WITH_AS(server::create().start(first.port()),
                         doctest::Contains("cannot listen on 127.0.0.1:"), std::system_error);
    server::ServerConfig nowhere;
    nowhere.host = "not-an-address";
    CHECK_THROWS_AS(server::create().config(nowhere).start(0), std::system_error);
  }
}
