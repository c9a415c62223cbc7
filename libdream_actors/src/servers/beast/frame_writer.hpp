#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include "counters.hpp"
#include "prepared_frame.hpp"
#include "transport.hpp"

namespace dream::servers::beast::detail {

/// The layer under Beast's websocket::stream: a TCP (or TLS) stream whose writes wait in one queue
/// and leave together, many frames per system call. Beast writes through it (the 101 response,
/// pongs, pings, the close frame); the session queues its data frames straight into it. One
/// queue keeps every byte in the order it was queued. Runs on the session's strand only.
///
/// Why not Beast's own writes: Beast writes one message per operation, and one sendmsg per
/// frame cost half the server's time when a broadcast reached 1,000 connections.
class FrameWriter {
 public:
  // The socket itself, not a beast::tcp_stream: the WebSocket's own timer does the timeouts,
  // and a tcp_stream's shared state (three timers) cost every connection about 550 bytes.
  using executor_type = Transport::executor_type;
  using next_layer_type = Transport;
  /// Told, after each write, how many data payload bytes (and frames) left the queue, and
  /// whether the socket failed.
  using Flushed =
      std::function<void(std::size_t bytes, std::size_t frames, boost::system::error_code)>;

  explicit FrameWriter(Transport transport) : stream_(std::move(transport)) {}

  executor_type get_executor() noexcept { return stream_.get_executor(); }
  next_layer_type& next_layer() noexcept { return stream_; }
  const next_layer_type& next_layer() const noexcept { return stream_; }

  void on_flushed(Flushed handler) { flushed_ = std::move(handler); }
  /// Where written data frames and their payload bytes are counted (the server's metrics,
  /// which outlive the writer).
  void count_into(Counters* counters) noexcept { counters_ = counters; }
  /// The session this layer lives in: a write in flight keeps it alive.
  void set_owner(std::weak_ptr<void> owner) { owner_ = std::move(owner); }

  /// Queues a text or binary data frame carrying `payload` (a server frame: never masked);
  /// it leaves with the next write (see send_queued).
  void queue_frame(bool text, std::string payload);
  /// Queues a frame built once and shared with other connections; it is written as it is.
  void queue_frame(std::shared_ptr<const websocket::detail::PreparedFrame> frame);
  /// Drops the data frames not yet being written (counted as flushed): the server is going
  /// away and will not wait for a slow reader.
  void drop_queued();
  /// Lets go of Beast's waiting handler, which holds the session (see Session::abandon).
  void abandon() { beast_handler_ = nullptr; }
  /// Starts writing everything queued, unless a write is in flight (whose completion will).
  void send_queued() {
    if (writing_.empty() && !queued_.empty() && !failed_) {
      flush();
    }
  }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return stream_.async_read_some(buffers, std::forward<Token>(token));
  }

  /// Beast's writes: copied into the queue (they are small: a response head, a control
  /// frame); the handler runs once they have been written.
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& buffers) {
          // Beast's handlers are move-only; a Beast write is rare enough to hold one on the heap.
          auto held = std::make_shared<decltype(handler)>(std::move(handler));
          queue_beast_write(
              boost::beast::buffers_to_string(buffers),
              [held](boost::system::error_code ec, std::size_t n) { std::move (*held)(ec, n); });
        },
        token, buffers);
  }

 private:
  struct Chunk {
    std::array<char, 10> header{};
    std::uint8_t header_size = 0;
    bool data = false;  // a data frame (counted for the session), not Beast's bytes
    std::string bytes;
    // A shared frame, header included (then header_size is 0 and bytes empty).
    std::shared_ptr<const websocket::detail::PreparedFrame> prepared;

    /// What follows the header on the wire.
    std::string_view body() const noexcept {
      return prepared ? std::string_view(prepared->wire) : std::string_view(bytes);
    }
    /// The payload bytes a data frame counts for the session's queue bound.
    std::size_t payload_size() const noexcept {
      return prepared ? prepared->payload_size : bytes.size();
    }
  };
  using BeastHandler = std::function<void(boost::system::error_code, std::size_t)>;

  void queue_beast_write(std::string bytes, BeastHandler handler);
  // False (and the frame counted as gone) when nothing may be written any more.
  bool accepts_data(std::size_t payload_size);
  void flush();
  void on_write(boost::system::error_code ec);

  Transport stream_;
  Flushed flushed_;
  Counters* counters_ = nullptr;
  std::weak_ptr<void> owner_;
  std::vector<Chunk> queued_;
  std::vector<Chunk> writing_;
  std::vector<boost::asio::const_buffer> gather_;
  std::string packed_;  // small frames copied together, so one write takes many of them
  // Beast serialises its own writes: at most one waits here, and whether it is in writing_.
  BeastHandler beast_handler_;
  std::size_t beast_bytes_ = 0;
  bool beast_in_flight_ = false;
  bool close_queued_ = false;  // Beast has queued its close frame: no data may follow it
  boost::system::error_code failed_;
};

/// Beast's closing handshake ends with a teardown of the layer: that of the Transport.
void teardown(boost::beast::role_type role, FrameWriter& writer, boost::system::error_code& ec);

template <class Handler>
void async_teardown(boost::beast::role_type role, FrameWriter& writer, Handler&& handler) {
  detail::async_teardown(role, writer.next_layer(), std::forward<Handler>(handler));
}

}  // namespace dream::servers::beast::detail
