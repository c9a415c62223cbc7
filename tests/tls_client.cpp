#include "tls_client.hpp"

#include <functional>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace test_support {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace ws = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {

constexpr auto step = std::chrono::seconds(10);  // the bound on each network step

// A client context that trusts `certificate_file` alone and wants 127.0.0.1 named in it.
ssl::context client_context(const std::string& certificate_file) {
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(certificate_file);
  context.set_verify_mode(ssl::verify_peer);
  context.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  return context;
}

// Runs `ioc` until `done` or `timeout`; false on timeout.
bool run_until(net::io_context& ioc, const bool& done, std::chrono::milliseconds timeout) {
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    ioc.run_one_for(deadline - std::chrono::steady_clock::now());
  }
  return done;
}

void check(bool finished, const beast::error_code& ec, const std::string& what) {
  if (!finished) {
    throw std::runtime_error(what + ": timed out");
  }
  if (ec) {
    throw std::runtime_error(what + ": " + ec.message());
  }
}

// Connects `stream`'s TCP socket and completes its TLS handshake as a client.
void connect_tls(net::io_context& ioc, beast::ssl_stream<beast::tcp_stream>& stream,
                 std::uint16_t port) {
  auto& tcp_stream = beast::get_lowest_layer(stream);
  tcp_stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  tcp_stream.expires_after(step);
  bool done = false;
  beast::error_code result;
  stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  check(run_until(ioc, done, step), result, "TLS handshake");
}

}  // namespace

HttpReply https_request(std::uint16_t port, const std::string& certificate_file,
                        const std::string& method, const std::string& target,
                        const std::string& body) {
  net::io_context ioc;
  auto context = client_context(certificate_file);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  connect_tls(ioc, stream, port);
  beast::http::request<beast::http::string_body> request(beast::http::string_to_verb(method),
                                                         target, 11);
  request.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
  request.keep_alive(false);
  if (!body.empty()) {
    request.body() = body;
    request.prepare_payload();
  }
  beast::http::response<beast::http::string_body> response;
  beast::flat_buffer buffer;
  bool done = false;
  beast::error_code result;
  beast::get_lowest_layer(stream).expires_after(step);
  beast::http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
    if (ec) {
      result = ec;
      done = true;
      return;
    }
    beast::http::async_read(stream, buffer, response, [&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
  });
  check(run_until(ioc, done, step), result, "HTTPS request");
  HttpReply reply;
  reply.status = response.result_int();
  for (const auto& field : response) {
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  reply.body = response.body();
  reply.keep_alive = response.keep_alive();
  return reply;
}

std::string https_read_until(std::uint16_t port, const std::string& certificate_file,
                             const std::string& target, const std::string& needle) {
  net::io_context ioc;
  auto context = client_context(certificate_file);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
  connect_tls(ioc, stream, port);
  const std::string request =
      "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n\r\n";
  std::string received;
  char chunk[4096];
  bool done = false;
  beast::error_code result;
  // Reads until the needle shows up or the read fails; the tcp_stream's deadline bounds all.
  std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec,
                                                                    std::size_t n) {
    received.append(chunk, n);
    if (ec || received.find(needle) != std::string::npos) {
      result = ec;
      done = true;
      return;
    }
    stream.async_read_some(net::buffer(chunk), on_read);
  };
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(20));
  net::async_write(stream, net::buffer(request), [&](beast::error_code ec, std::size_t) {
    if (ec) {
      result = ec;
      done = true;
      return;
    }
    stream.async_read_some(net::buffer(chunk), on_read);
  });
  check(run_until(ioc, done, std::chrono::seconds(25)), result,
        "HTTPS read of " + target + " (got \"" + received + "\")");
  return received;
}

struct WssClient::Impl {
  explicit Impl(const std::string& certificate_file)
      : context(client_context(certificate_file)), stream(ioc, context) {}

  net::io_context ioc;
  ssl::context context;
  ws::stream<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
};

WssClient::WssClient(std::uint16_t port, const std::string& target,
                     const std::string& certificate_file,
                     const std::vector<std::pair<std::string, std::string>>& headers)
    : impl_(std::make_unique<Impl>(certificate_file)) {
  connect_tls(impl_->ioc, impl_->stream.next_layer(), port);
  beast::get_lowest_layer(impl_->stream).expires_never();  // the WebSocket's own timeouts
  impl_->stream.set_option(ws::stream_base::timeout::suggested(beast::role_type::client));
  impl_->stream.set_option(ws::stream_base::decorator([headers](ws::request_type& request) {
    for (const auto& [name, value] : headers) {
      request.set(name, value);
    }
  }));
  ws::response_type response;
  bool done = false;
  beast::error_code result;
  impl_->stream.async_handshake(response, "127.0.0.1:" + std::to_string(port), target,
                                [&](beast::error_code ec) {
                                  result = ec;
                                  done = true;
                                });
  check(run_until(impl_->ioc, done, step), result,
        "WebSocket handshake (HTTP " + std::to_string(response.result_int()) + ")");
}

WssClient::~WssClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->stream).socket().close(ignored);
}

void WssClient::send_text(const std::string& text) {
  impl_->stream.text(true);
  bool done = false;
  beast::error_code result;
  impl_->stream.async_write(net::buffer(text), [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  check(run_until(impl_->ioc, done, step), result, "WebSocket write");
}

std::optional<std::string> WssClient::receive_text(std::chrono::milliseconds timeout) {
  bool done = false;
  beast::error_code result;
  impl_->stream.async_read(impl_->buffer, [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!run_until(impl_->ioc, done, timeout)) {
    // The read is still pending: closing the socket ends it, so the client stays usable no more.
    beast::error_code ignored;
    beast::get_lowest_layer(impl_->stream).socket().close(ignored);
    run_until(impl_->ioc, done, step);
    return std::nullopt;
  }
  if (result) {
    return std::nullopt;
  }
  auto text = beast::buffers_to_string(impl_->buffer.data());
  impl_->buffer.consume(impl_->buffer.size());
  return text;
}

std::uint16_t WssClient::close_code() const {
  return static_cast<std::uint16_t>(impl_->stream.reason().code);
}

bool WssClient::close() {
  bool done = false;
  beast::error_code result;
  impl_->stream.async_close(ws::close_code::normal, [&](beast::error_code ec) {
    result = ec;
    done = true;
  });
  return run_until(impl_->ioc, done, step) && !result;
}

}  // namespace test_support
