#include "websocket_session.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/assert.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

#include "../../log.hpp"
#include "counted_body.hpp"
#include "ready_executor.hpp"

namespace dream::servers::beast::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ws = boost::beast::websocket;
using websocket::detail::Closed;
using websocket::detail::Frame;

WebSocketSession::WebSocketSession(Transport transport, std::shared_ptr<SharedState> state,
                                   ConnectionSlot slot,
                                   std::shared_ptr<const dream::detail::WebSocketUpgrade> upgrade)
    : ws_(std::move(transport)),
      state_(std::move(state)),
      slot_(std::move(slot)),
      upgrade_(std::move(upgrade)) {
  beast::error_code ec;
  const auto endpoint = beast::get_lowest_layer(ws_).remote_endpoint(ec);
  peer_ = ec ? "an unknown peer"
             : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

WebSocketSession::~WebSocketSession() {
  // Destroyed without having told its process (a server stop that had to force the last
  // connections): the process still hears of the end, so its on_close runs.
  if (!notified_ && core_ && process_ != process::Pid{}) {
    core_->mark_closed();
    (void)process::detail::deliver(process_, core_->closed_tag,
                                   std::make_shared<Closed>(Closed{1006, "server stopped"}));
  }
  if (counted_open_) {
    Counters::sub(state_->counters().websocket_connections_open);
  }
  state_->leave(this);
}

void WebSocketSession::run(beast::http::request<beast::http::string_body> request,
                           http::Headers headers) {
  const auto& config = state_->config();
  core_ = std::make_shared<websocket::detail::ConnectionCore>(weak_from_this(), state_);
  ws_.next_layer().count_into(&state_->counters());
  ws_.next_layer().set_owner(weak_from_this());
  ws_.next_layer().on_flushed([this](std::size_t bytes, std::size_t frames, beast::error_code ec) {
    on_flushed(bytes, frames, ec);
  });
  auto timeouts = ws::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.handshake_timeout = config.websocket_handshake_timeout;
  // Beast pings a connection silent for half the idle timeout and drops it after the whole
  // (no pong either): a peer that vanished without a FIN frees its place.
  if (config.websocket_idle_timeout.count() > 0) {
    timeouts.idle_timeout = config.websocket_idle_timeout;
    timeouts.keep_alive_pings = true;
  }
  ws_.set_option(timeouts);
  ws_.read_message_max(config.max_websocket_message_bytes);
  if (headers.size() > 0) {
    ws_.set_option(ws::stream_base::decorator([headers](ws::response_type& response) {
      for (const auto& [name, value] : headers) {
        response.set(name, value);
      }
    }));
  }
  auto shared_request =
      std::make_shared<beast::http::request<beast::http::string_body>>(std::move(request));
  ws_.async_accept(*shared_request, [self = shared_from_this(), shared_request](
                                        beast::error_code ec) { self->on_accept(ec); });
}

void WebSocketSession::on_accept(beast::error_code ec) {
  accepted_ = true;
  if (ec) {
    dream::detail::log_error("websocket {}: handshake failed: {}", peer_, ec.message());
    return;
  }
  if (stop_requested_) {
    // The server began stopping during the handshake, which has now completed: the client
    // sees a WebSocket, so it gets a proper close (1001). No process was started for it, so
    // there is no on_close to run.
    return start_close(1001);
  }
  counted_open_ = true;
  Counters::add(state_->counters().websocket_connections_open);
  process_ = process::detail::spawn(
      state_->runtime(),
      std::make_unique<CountedBody>(upgrade_->make_body(websocket::Connection(core_)), state_));
  upgrade_.reset();
  if (process_ == process::Pid{}) {
    dream::detail::log_error("websocket: the runtime is shut down; closing the connection");
    return start_close(1011);
  }
  do_read();
}

void WebSocketSession::do_read() {
  if (closing_ || notified_ || reading_ || process_closed_ || shutting_down_) {
    return;
  }
  reading_ = true;
  // An idle connection holds no read buffer. Beast's message read sizes the buffer before any
  // byte has come (1.5 KB, kept for the life of the connection), so the wait is a zero-byte
  // read instead: it completes once the next message's first data frame has begun (Beast
  // answers pings and the peer's close meanwhile), and only then is the buffer grown.
  // Both reads run their completion at once when the bytes are already buffered.
  buffer_.shrink_to_fit();  // empty here: frees the last message's storage
  // (Its address must not be null: Beast's UTF-8 check steps through even an empty span.)
  static char no_bytes;
  ws_.async_read_some(
      net::mutable_buffer(&no_bytes, 0),
      net::bind_executor(ReadyExecutor(ws_.get_executor()),
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                           self->on_message_begun(ec);
                         }));
}

void WebSocketSession::on_message_begun(beast::error_code ec) {
  if (!ec && (process_closed_ || shutting_down_)) {
    reading_ = false;  // a message that will not be handed over: not read in at all
    return;
  }
  if (ec || ws_.is_message_done()) {
    // A failure or the peer's close; or an empty message, read whole (buffer_ is empty).
    return on_read(ec);
  }
  ws_.async_read(buffer_,
                 net::bind_executor(ReadyExecutor(ws_.get_executor()),
                                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                      self->on_read(ec);
                                    }));
}

void WebSocketSession::on_read(beast::error_code ec) {
  reading_ = false;
  if (ec && closing_) {
    // Our close is under way (the read ended with it, or with its timeout: a client that
    // never answered the close frame); its completion tells the process.
    return;
  }
  if (ec) {
    // The peer closed (its close frame's code), or the connection failed: a protocol
    // violation (Beast has sent 1002/1007/1009 already), a drop, or our own close.
    const auto& reason = ws_.reason();
    if (ec == ws::error::closed) {
      // 1005: the peer's close frame carried no status code.
      const auto code = reason.code == ws::close_code::none
                            ? std::uint16_t{1005}
                            : static_cast<std::uint16_t>(reason.code);
      return notify_closed(code, std::string(reason.reason.data(), reason.reason.size()));
    }
    if (ec == net::error::eof || ec == net::error::connection_reset ||
        ec == net::ssl::error::stream_truncated) {  // TLS: gone without close_notify
      dream::detail::log_error("websocket {}: the connection dropped without a close frame", peer_);
    } else if (ec != net::error::operation_aborted) {
      // A protocol violation, answered with its close code (1002, 1007, 1009).
      dream::detail::log_error("websocket {}: {}", peer_, ec.message());
    }
    return notify_closed(1006, ec.message());
  }
  if (process_closed_ || shutting_down_) {
    // The process has said its last word, or the server is stopping and this frame came
    // after: dropped, never handed to the process.
    buffer_.consume(buffer_.size());
    return;
  }
  // The payload is copied out of the read buffer once, into the type on_message receives.
  auto frame = std::make_shared<Frame>();
  frame->text = ws_.got_text();
  if (frame->text) {
    frame->data = beast::buffers_to_string(buffer_.data());
  } else {
    frame->bytes.resize(buffer_.size());
    net::buffer_copy(net::buffer(frame->bytes.data(), frame->bytes.size()), buffer_.data());
  }
  const auto payload_size = buffer_.size();
  buffer_.consume(buffer_.size());
  if (process::detail::deliver(process_, core_->frame_tag, std::move(frame))) {
    // The process has ended. However it ended, its last act posts a close (with its code) to
    // this strand, behind every frame it sent: read no more, and wait for that close here.
    process_closed_ = true;
    paused_self_ = shared_from_this();
    return;
  }
  auto& counters = state_->counters();
  Counters::add(counters.websocket_frames_in_total);
  Counters::add(counters.websocket_bytes_in_total, payload_size);
  ++unhandled_frames_;
  unhandled_bytes_ += payload_size;
  if (window_open()) {
    do_read();
  } else {
    paused_self_ = shared_from_this();  // the window is full: post_frame_done resumes reading
  }
}

bool WebSocketSession::window_open() const {
  const auto& config = state_->config();
  return unhandled_frames_ < config.websocket_read_window &&
         unhandled_bytes_ < config.websocket_read_window_bytes;
}

void WebSocketSession::post_frame_done(std::size_t bytes) {
  net::post(ws_.get_executor(), [self = shared_from_this(), bytes] {
    // The process hands back each frame's size once: more would stall reading for good.
    BOOST_ASSERT(self->unhandled_frames_ > 0 && self->unhandled_bytes_ >= bytes);
    --self->unhandled_frames_;
    self->unhandled_bytes_ -= bytes;
    if (self->shutting_down_) {
      self->close_when_handled();
    } else if (self->window_open()) {
      self->paused_self_.reset();
      self->do_read();
    }
  });
}

void WebSocketSession::post_drain() {
  net::post(ws_.get_executor(), [self = shared_from_this()] { self->drain_outbox(); });
}

void WebSocketSession::drain_outbox() {
  core_->take_outbox(drained_);
  auto& writer = ws_.next_layer();
  // Beast closes on its own too (the peer's close, a protocol violation): is_open() is false
  // from the moment it queues its close frame.
  const bool open = !closing_ && !notified_ && ws_.is_open();
  for (auto& frame : drained_) {
    if (!open) {
      core_->sent(frame.payload_size(), 1);
    } else if (frame.prepared) {
      writer.queue_frame(std::move(frame.prepared));
    } else {
      writer.queue_frame(frame.text, std::move(frame.data));
    }
  }
  drained_.clear();
  writer.send_queued();
}

void WebSocketSession::on_flushed(std::size_t bytes, std::size_t frames, beast::error_code ec) {
  core_->sent(bytes, frames);
  if (ec && !notified_) {
    // The socket has failed: nothing more can be written, or closed cleanly.
    paused_self_.reset();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).close(ignored);
    notify_closed(1006, ec.message());
  }
}

void WebSocketSession::post_close(std::uint16_t code) {
  net::post(ws_.get_executor(),
            [self = shared_from_this(), code] { self->close_after_flush(code); });
}

void WebSocketSession::close_after_flush(std::uint16_t code) {
  process_closed_ = true;
  paused_self_.reset();  // reading will not resume; the close holds us
  // The close frame queues behind every frame the process sent before closing.
  start_close(code);
}

void WebSocketSession::post_slow_consumer_close(std::uint16_t code) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code] {
    if (self->closing_ || self->notified_) {
      return;
    }
    dream::detail::log_error(
        "websocket {}: slow consumer, its outbound queue is full "
        "(ServerConfig::max_websocket_queue_bytes = {}); closing with {}",
        self->peer_, self->state_->config().max_websocket_queue_bytes, code);
    self->process_closed_ = true;  // nothing more is read: the connection is ending
    self->start_close(code, "slow consumer: outbound queue full", false);
  });
}

void WebSocketSession::close() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (!self->accepted_) {
      self->stop_requested_ = true;  // on_accept ends it: no close during the handshake
      return;
    }
    // Going away, losing nothing accepted: no frame is read from here on, the process
    // handles those it has, and the close frame follows all it queued.
    self->shutting_down_ = true;
    self->close_when_handled();
  });
}

void WebSocketSession::close_when_handled() {
  if (unhandled_frames_ > 0 && !process_closed_) {
    // post_frame_done calls again; meanwhile nothing may be pending (a zero-byte read at
    // most): the session keeps itself.
    paused_self_ = shared_from_this();
    return;
  }
  start_close(1001);
}

void WebSocketSession::abandon() {
  ws_.next_layer().abandon();
}

void WebSocketSession::start_close(std::uint16_t code, std::string_view reason, bool flush) {
  if (closing_ || notified_) {
    return;
  }
  // From here every send fails; what was accepted before is in the outbox (mark_closed and
  // the outbox share a lock), and goes out ahead of the close frame, or is dropped.
  core_->mark_closed();
  if (flush) {
    drain_outbox();
  } else {
    ws_.next_layer().drop_queued();
    core_->drop_outbox();
  }
  closing_ = true;
  paused_self_.reset();  // the close operation holds the session from here
  const ws::close_reason why(static_cast<ws::close_code>(code),
                             beast::string_view(reason.data(), reason.size()));
  ws_.async_close(why, [self = shared_from_this(), code](beast::error_code ec) {
    // The process hears of the end here if the read loop has not told it already; a close
    // that failed (the socket broke, the peer never answered) is an abnormal end.
    if (ec) {
      self->notify_closed(1006, ec.message());
    } else {
      self->notify_closed(code, {});
    }
  });
}

void WebSocketSession::notify_closed(std::uint16_t code, std::string reason) {
  if (notified_) {
    return;
  }
  notified_ = true;
  core_->mark_closed();
  // A process that has already ended needs no news: ignore owner_gone.
  (void)process::detail::deliver(process_, core_->closed_tag,
                                 std::make_shared<Closed>(Closed{code, std::move(reason)}));
}

}  // namespace dream::servers::beast::detail
