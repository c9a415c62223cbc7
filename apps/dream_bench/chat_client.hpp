#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace dream_bench {

/// One chat connection, driven by callbacks on the io_context's single thread: connect and
/// upgrade, then every text frame goes to `on_text`; sends are queued, one write at a time.
///
/// Beast does the upgrade (its HTTP parser); frames are read and written here, because Beast's
/// WebSocket stream hands over one message per operation, which capped the generator at about
/// 110,000 frames/s. Here one read of up to 64 KiB yields every frame in it.
class ChatClient : public std::enable_shared_from_this<ChatClient> {
 public:
  using TextHandler = std::function<void(std::string_view)>;
  using DoneHandler = std::function<void(const std::string& error)>;
  /// The close code of the server's close frame (1005 when it had none), or 1006 when the
  /// connection ended without one.
  using EndHandler = std::function<void(std::uint16_t code)>;

  ChatClient(boost::asio::io_context& io, TextHandler on_text);

  /// Connects from `source` (an address to bind, or "" for any) to `server`, upgrades at
  /// `target`, starts reading, then calls `done` with "" or what failed.
  void connect(const boost::asio::ip::tcp::endpoint& server, const std::string& source,
               const std::string& target, DoneHandler done);
  /// Queues a text frame; frames leave in the order they were queued.
  void send(std::string text);
  /// Called after each frame has been handed to the socket (to send the next one only then).
  void on_written(std::function<void()> handler) { on_written_ = std::move(handler); }
  /// Called once when the connection ends as reading sees it (the soak tells a clean close
  /// from the server's own); the other scenarios notice what never arrived instead.
  void on_end(EndHandler handler) { on_end_ = std::move(handler); }
  /// Queued and in-flight frames not yet written.
  std::size_t pending() const noexcept { return queue_.size(); }
  /// Queues a close frame with `code`; the server's reply comes to on_end.
  void close(std::uint16_t code);
  /// Queues only the first half of a text frame: a client cut off mid-frame (only a drop may
  /// follow it).
  void send_truncated(const std::string& text);
  /// Stops reading (a slow reader: the server's frames pile up in the socket and its queue)
  /// until resume_reading; frames already read are still handled.
  void pause_reading() { paused_ = true; }
  void resume_reading();
  /// Ends the connection without ceremony (the benchmark is over; a FIN, no close frame).
  void drop();
  /// Ends the connection with a TCP reset (SO_LINGER 0), as a crashed client's kernel would.
  void reset();

 private:
  void on_connect(boost::system::error_code ec);
  void on_upgrade(boost::system::error_code ec);
  void read();
  // Tells on_end, once.
  void ended(std::uint16_t code);
  /// Hands every complete frame in the buffer to on_text; false once the server has closed.
  bool parse_frames();
  void write();

  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  TextHandler on_text_;
  DoneHandler done_;
  std::function<void()> on_written_;
  EndHandler on_end_;
  std::string request_;
  std::string fragments_;          // a fragmented text message, until its last frame
  std::deque<std::string> queue_;  // frames, already masked
  bool writing_ = false;
  bool paused_ = false;
  bool parked_ = false;  // paused with no read in flight
  bool ended_ = false;
};

}  // namespace dream_bench
