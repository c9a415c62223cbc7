#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>

#include "transport.hpp"

namespace dream::servers::beast::detail {

/// An HTTP connection's Transport with a deadline: once it passes, the socket closes, which
/// fails whatever read or write is pending (what beast::tcp_stream's timeouts did, for TLS
/// too, and with one timer instead of tcp_stream's three). Used on the connection's strand.
class TimedTransport {
 public:
  using executor_type = Transport::executor_type;
  using next_layer_type = Transport;

  explicit TimedTransport(Transport transport)
      : transport_(std::move(transport)), timer_(transport_.get_executor()) {}

  /// Whose lifetime the timer's handler may extend, for the time it runs (the HTTP session).
  void set_owner(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  executor_type get_executor() noexcept { return transport_.get_executor(); }
  Transport& next_layer() noexcept { return transport_; }
  /// The TCP socket at the bottom.
  Transport::socket_type& socket() noexcept { return transport_.next_layer(); }

  /// From now, the connection has `timeout`, replacing any earlier deadline.
  void expires_after(std::chrono::steady_clock::duration timeout);
  /// No deadline (a stream route's controller runs its own).
  void expires_never() { timer_.expires_at(never); }
  /// Whether the last deadline has passed and closed the socket.
  bool timed_out() const noexcept { return timed_out_; }

  /// The server side of the TLS handshake (a TLS transport only).
  template <class Handler>
  void async_handshake(Handler&& handler) {
    transport_.tls()->async_handshake(boost::asio::ssl::stream_base::server,
                                      std::forward<Handler>(handler));
  }
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return transport_.async_read_some(buffers, std::forward<Token>(token));
  }
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return transport_.async_write_some(buffers, std::forward<Token>(token));
  }

  /// Closes the socket (no TLS close_notify) and drops the deadline.
  void close();
  /// Hands the connection on (to a WebSocket or SSE session), without its deadline.
  Transport release_socket() {
    timer_.expires_at(never);
    return std::move(transport_);
  }

 private:
  // Moving the expiry, not just cancelling, also disarms a wait that has already completed.
  static constexpr auto never = std::chrono::steady_clock::time_point::max();

  Transport transport_;
  boost::asio::steady_timer timer_;
  std::weak_ptr<void> owner_;
  bool timed_out_ = false;
};

}  // namespace dream::servers::beast::detail
