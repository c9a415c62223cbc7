#include "ws_client.hpp"

#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace test_support {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ws = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {
// The handshake request carries `headers` besides its own (a browser's Origin, a token...).
void send_headers(ws::stream<beast::tcp_stream>& stream,
                  const std::vector<std::pair<std::string, std::string>>& headers) {
  stream.set_option(ws::stream_base::decorator([headers](ws::request_type& req) {
    for (const auto& [name, value] : headers) {
      req.set(name, value);
    }
  }));
}
}  // namespace

struct WsClient::Impl {
  net::io_context ioc;
  ws::stream<beast::tcp_stream> stream{ioc};
  beast::flat_buffer buffer;
  std::size_t data_frames = 0;  // frames receive() has returned
  std::size_t pongs = 0;
  std::optional<std::size_t> first_pong_at;  // data_frames when the first pong came

  // Runs the io_context until `done` or `timeout`; false on timeout.
  bool run_for(std::chrono::milliseconds timeout, const bool& done) {
    ioc.restart();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done && std::chrono::steady_clock::now() < deadline) {
      ioc.run_one_for(deadline - std::chrono::steady_clock::now());
    }
    return done;
  }
};

WsClient::WsClient(std::uint16_t port, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers)
    : impl_(std::make_unique<Impl>()) {
  impl_->stream.control_callback([impl = impl_.get()](ws::frame_type kind, beast::string_view) {
    if (kind == ws::frame_type::pong) {
      ++impl->pongs;
      if (!impl->first_pong_at) {
        impl->first_pong_at = impl->data_frames;
      }
    }
  });
  auto& lowest = beast::get_lowest_layer(impl_->stream);
  lowest.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  send_headers(impl_->stream, headers);
  ws::response_type response;
  beast::error_code ec;
  // Host with its port, as a browser sends it (the server compares it with Origin).
  impl_->stream.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
  if (ec) {
    throw std::runtime_error("WebSocket handshake refused with HTTP " +
                             std::to_string(response.result_int()) + ": " + ec.message());
  }
  for (const auto& field : response) {
    handshake_headers_.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
}

std::string WsClient::close_reason() const {
  const auto& reason = impl_->stream.reason().reason;
  return std::string(reason.data(), reason.size());
}

std::size_t WsClient::pongs() const noexcept {
  return impl_->pongs;
}

std::optional<std::size_t> WsClient::first_pong_after() const noexcept {
  return impl_->first_pong_at;
}

std::string WsClient::handshake_header(const std::string& name) const {
  for (const auto& [n, v] : handshake_headers_) {
    if (beast::iequals(n, name)) {
      return v;
    }
  }
  return {};
}

WsClient::~WsClient() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->stream).socket().close(ignored);
}

unsigned WsClient::handshake_status(
    std::uint16_t port, const std::string& target,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  net::io_context ioc;
  ws::stream<beast::tcp_stream> stream(ioc);
  beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  send_headers(stream, headers);
  ws::response_type response;
  beast::error_code ec;
  stream.handshake(response, "127.0.0.1:" + std::to_string(port), target, ec);
  return response.result_int();
}

void WsClient::send_text(const std::string& text) {
  impl_->stream.text(true);
  impl_->stream.write(net::buffer(text));
}

bool WsClient::try_send_text(const std::string& text, std::chrono::milliseconds timeout) {
  impl_->stream.text(true);
  bool done = false;
  impl_->stream.async_write(net::buffer(text),
                            [&](beast::error_code, std::size_t) { done = true; });
  if (impl_->run_for(timeout, done)) {
    return true;
  }
  beast::get_lowest_layer(impl_->stream).socket().close();
  impl_->run_for(std::chrono::seconds(5), done);
  closed_ = true;
  return false;
}

void WsClient::send_binary(const std::string& bytes) {
  impl_->stream.binary(true);
  impl_->stream.write(net::buffer(bytes));
}

std::optional<WsClient::Frame> WsClient::receive(std::chrono::milliseconds timeout) {
  if (closed_) {
    return std::nullopt;
  }
  bool done = false;
  beast::error_code result;
  impl_->stream.async_read(impl_->buffer, [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  if (!impl_->run_for(timeout, done)) {
    // Nothing came: give up on this connection (the read cannot be resumed cleanly).
    beast::get_lowest_layer(impl_->stream).socket().close();
    impl_->run_for(std::chrono::seconds(5), done);
    closed_ = true;
    return std::nullopt;
  }
  if (result) {
    closed_ = true;
    close_code_ = static_cast<std::uint16_t>(impl_->stream.reason().code);
    if (close_code_ == 0) {
      close_code_ = 1006;  // no close frame: the connection dropped
    }
    return std::nullopt;
  }
  ++impl_->data_frames;
  Frame frame{impl_->stream.got_text(), beast::buffers_to_string(impl_->buffer.data())};
  impl_->buffer.consume(impl_->buffer.size());
  return frame;
}

std::string WsClient::receive_text(std::chrono::milliseconds timeout) {
  auto frame = receive(timeout);
  return frame && frame->text ? frame->data : std::string();
}

std::uint16_t WsClient::wait_for_close(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed_ && std::chrono::steady_clock::now() < deadline) {
    (void)receive(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
  }
  return closed_ ? close_code_ : 0;
}

void WsClient::close(std::uint16_t code, std::chrono::milliseconds timeout) {
  bool done = false;
  impl_->stream.async_close(code == 0 ? ws::close_reason() : ws::close_reason(code),
                            [&](beast::error_code) { done = true; });
  if (!impl_->run_for(timeout, done)) {
    // The server never answered the close: cut the connection instead.
    beast::error_code ignored;
    beast::get_lowest_layer(impl_->stream).socket().close(ignored);
    impl_->run_for(std::chrono::seconds(5), done);
  }
  closed_ = true;
  close_code_ = code;
}

void WsClient::drop() {
  beast::error_code ignored;
  beast::get_lowest_layer(impl_->stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(impl_->stream).socket().close(ignored);
  closed_ = true;
}

void WsClient::write_raw(const std::string& bytes) {
  net::write(beast::get_lowest_layer(impl_->stream).socket(), net::buffer(bytes));
}

}  // namespace test_support
