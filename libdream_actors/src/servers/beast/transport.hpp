#pragma once

#include <cstddef>
#include <memory>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>

namespace dream::servers::beast::detail {

/// A connection's byte stream: a plain TCP socket, or a TLS stream over one. Which one is
/// decided at run time, so the sessions stay plain classes; a plain connection pays one null
/// pointer for the choice. Its async operations pass the caller's handler through untouched
/// (no type erasure), so an executor bound to it (ReadyExecutor) still applies.
class Transport {
 public:
  using socket_type = boost::asio::ip::tcp::socket;
  using tls_type = boost::asio::ssl::stream<socket_type>;
  using executor_type = socket_type::executor_type;
  /// What beast::get_lowest_layer reaches: the TCP socket at the bottom, TLS or not.
  using next_layer_type = socket_type;

  /// A plain connection.
  explicit Transport(socket_type socket) : socket_(std::move(socket)) {}
  /// A TLS connection over `socket`: the server handshake (async_handshake) comes first.
  Transport(socket_type socket, boost::asio::ssl::context& context)
      : socket_(socket.get_executor()),
        tls_(std::make_unique<tls_type>(std::move(socket), context)) {}

  /// True when the bytes go through TLS.
  bool is_tls() const noexcept { return tls_ != nullptr; }

  executor_type get_executor() noexcept { return next_layer().get_executor(); }
  socket_type& next_layer() noexcept { return tls_ ? tls_->next_layer() : socket_; }
  const socket_type& next_layer() const noexcept { return tls_ ? tls_->next_layer() : socket_; }
  /// The TLS stream (null on a plain connection), for TLS-only operations.
  tls_type* tls() noexcept { return tls_.get(); }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBuffers& buffers) {
          if (tls_) {
            tls_->async_read_some(buffers, std::move(handler));
          } else {
            socket_.async_read_some(buffers, std::move(handler));
          }
        },
        token, buffers);
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& buffers) {
          if (tls_) {
            tls_->async_write_some(buffers, std::move(handler));
          } else {
            socket_.async_write_some(buffers, std::move(handler));
          }
        },
        token, buffers);
  }

  /// Synchronous reads and writes (a stream route's body). On a non-blocking socket a TLS
  /// read that needs more bytes fails with would_block and can be retried; a TLS write cannot
  /// (its record may be cut), so write only while the socket blocks.
  template <class MutableBuffers>
  std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
    return tls_ ? tls_->read_some(buffers, ec) : socket_.read_some(buffers, ec);
  }
  template <class ConstBuffers>
  std::size_t write_some(const ConstBuffers& buffers, boost::system::error_code& ec) {
    return tls_ ? tls_->write_some(buffers, ec) : socket_.write_some(buffers, ec);
  }

  /// The TCP socket's own shutdown and close: no TLS close_notify (see async_teardown).
  void shutdown(socket_type::shutdown_type what, boost::system::error_code& ec) {
    next_layer().shutdown(what, ec);
  }
  void close(boost::system::error_code& ec) { next_layer().close(ec); }

 private:
  socket_type socket_;  // the connection's socket when plain; when TLS, only its executor
  std::unique_ptr<tls_type> tls_;
};

/// Beast's closing handshake ends with a teardown of the layer: TLS's close_notify exchange
/// (Beast's own, in <boost/beast/websocket/ssl.hpp>), then the TCP socket's.
void teardown(boost::beast::role_type role, Transport& transport, boost::system::error_code& ec);

template <class Handler>
void async_teardown(boost::beast::role_type role, Transport& transport, Handler&& handler) {
  if (auto* tls = transport.tls()) {
    boost::beast::async_teardown(role, *tls, std::forward<Handler>(handler));
  } else {
    boost::beast::websocket::async_teardown(role, transport.next_layer(),
                                            std::forward<Handler>(handler));
  }
}

}  // namespace dream::servers::beast::detail
