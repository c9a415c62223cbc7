#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "connection_core.hpp"
#include "connection_slot.hpp"
#include "frame_writer.hpp"
#include "session.hpp"
#include "shared_state.hpp"

namespace dream::servers::beast::detail {

/// One WebSocket connection's socket side: the handshake, a read loop that hands frames to
/// the connection's process (pausing when the read window is full); frames it is given go to
/// the FrameWriter under the stream, which sends what has queued up in one write. Everything
/// here runs on the connection's strand.
class WebSocketSession : public Session, public std::enable_shared_from_this<WebSocketSession> {
 public:
  /// `slot`: the connection's place in the server's count, from its HTTP session.
  WebSocketSession(Transport transport, std::shared_ptr<SharedState> state, ConnectionSlot slot,
                   std::shared_ptr<const dream::detail::WebSocketUpgrade> upgrade);
  ~WebSocketSession() override;

  /// Completes the handshake, sending `headers` (the controller's) with the 101 response.
  void run(boost::beast::http::request<boost::beast::http::string_body> request,
           http::Headers headers);
  /// The server is stopping: reads no more frames, lets the process handle those it has, then
  /// closes with 1001 behind everything the process queued.
  void close() override;
  void abandon() override;

  // From the process side, through ConnectionCore (posted to the strand).
  /// Takes the frames waiting in the connection's outbox and writes them together.
  void post_drain();
  void post_frame_done(std::size_t bytes);
  void post_close(std::uint16_t code);
  /// The queue hit its bound under a closing SlowConsumerPolicy: drops what waits, closes
  /// with `code`.
  void post_slow_consumer_close(std::uint16_t code);

 private:
  // Whether another frame may be read: fewer unhandled frames and bytes than the window.
  bool window_open() const;
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_message_begun(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void on_flushed(std::size_t bytes, std::size_t frames, boost::beast::error_code ec);
  void close_after_flush(std::uint16_t code);
  // Moves what the process queued into the writer (or counts it gone once closed) and writes.
  void drain_outbox();
  // Stopping: closes once the process has handled every frame read.
  void close_when_handled();
  // Sends the close frame: behind every queued frame when `flush`, else after dropping them.
  void start_close(std::uint16_t code, std::string_view reason = {}, bool flush = true);
  void notify_closed(std::uint16_t code, std::string reason);

  // Without permessage-deflate support (the server never offers it): no inflate state.
  boost::beast::websocket::stream<FrameWriter, false> ws_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::shared_ptr<const dream::detail::WebSocketUpgrade> upgrade_;
  std::shared_ptr<websocket::detail::ConnectionCore> core_;
  process::Pid process_;
  std::vector<websocket::detail::Outgoing> drained_;  // reused: no allocation per batch
  std::string peer_;  // "address:port", for log lines (the socket may be gone by then)

  std::size_t unhandled_frames_ = 0;  // read, not yet handled by the process
  std::size_t unhandled_bytes_ = 0;   // their payloads
  bool reading_ = false;
  bool accepted_ = false;        // the handshake has completed
  bool stop_requested_ = false;  // close() came during the handshake
  bool process_closed_ = false;  // the process asked to close, or is gone: read no more
  bool closing_ = false;
  bool notified_ = false;
  bool shutting_down_ = false;  // the server is stopping: frames read from now on are dropped
  bool counted_open_ = false;   // counted in websocket_connections_open
  // While reading is paused no operation is pending to keep this session alive: it keeps
  // itself until reading resumes or the connection closes.
  std::shared_ptr<WebSocketSession> paused_self_;
};

}  // namespace dream::servers::beast::detail
