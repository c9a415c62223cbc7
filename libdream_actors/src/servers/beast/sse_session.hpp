#pragma once

#include <array>
#include <deque>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "connection_slot.hpp"
#include "dream/http/headers.hpp"
#include "session.hpp"
#include "shared_state.hpp"
#include "sse_core.hpp"
#include "transport.hpp"

namespace dream::servers::beast::detail {

/// One SSE connection's socket side: writes the 200 text/event-stream head, then the events
/// the connection's process queues (one write at a time) and a comment whenever the
/// connection has been idle for the heartbeat interval. SSE clients send nothing, so a read
/// stays pending only to learn when the client goes away. Everything runs on the strand.
class SseSession : public Session, public std::enable_shared_from_this<SseSession> {
 public:
  /// `slot`: the connection's place in the server's count, from its HTTP session.
  SseSession(Transport transport, std::shared_ptr<SharedState> state, ConnectionSlot slot,
             std::shared_ptr<const dream::detail::SseUpgrade> upgrade);
  ~SseSession() override;

  /// Sends the head (with `headers`, the controller's and its middleware's) and starts the
  /// connection's process.
  void run(http::Headers headers);
  /// Server stop: ends the connection now (SSE has no closing handshake to wait for).
  void close() override;

  // From the process side, through SseCore (posted to the strand).
  void post_write(std::string bytes);
  void post_close();

 private:
  void start();
  void queue(std::string bytes, bool counted);
  void do_read();
  void do_write();
  void on_write(boost::system::error_code ec);
  void arm_heartbeat();
  // Ends the stream once everything queued has been written (at once if nothing is).
  void end_when_flushed();
  /// Ends the connection: the socket closes, the process hears of it (once).
  void end();
  void notify_ended();

  struct Outgoing {
    std::string bytes;
    bool counted;  // queued by send(): its size is in the core's count
  };

  Transport socket_;
  boost::asio::steady_timer heartbeat_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::shared_ptr<const dream::detail::SseUpgrade> upgrade_;
  std::shared_ptr<sse::detail::SseCore> core_;
  process::Pid process_;
  std::deque<Outgoing> queue_;
  std::array<char, 256> discard_{};  // what a client sends anyway is read and dropped
  bool writing_ = false;
  bool wrote_since_beat_ = false;  // an event went out: no heartbeat needed this interval
  bool close_when_flushed_ = false;
  bool ended_ = false;
  bool notified_ = false;
};

}  // namespace dream::servers::beast::detail
