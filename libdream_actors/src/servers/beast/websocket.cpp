#include "dream/servers/beast/websocket.hpp"

#include <string_view>
#include <utility>

#include "../../log.hpp"
#include "connection_core.hpp"
#include "frame_header.hpp"
#include "prepared_frame.hpp"
#include "websocket_session.hpp"

namespace dream::servers::beast::websocket {
namespace {

class SendErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "dream.websocket"; }
  std::string message(int code) const override {
    switch (static_cast<SendError>(code)) {
      case SendError::socket_closed:
        return "the WebSocket connection is closed";
      case SendError::timeout:
        return "the WebSocket write timed out";
      case SendError::unknown_error:
        return "the WebSocket connection failed";
      case SendError::backpressure:
        return "the WebSocket outbound queue is full";
    }
    return "unknown dream.websocket error " + std::to_string(code);
  }
};

// True if the comma-separated header `value` holds `token` (any case).
bool has_token(std::optional<std::string_view> value, std::string_view token) {
  if (!value) {
    return false;
  }
  std::string_view rest = *value;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
      item.remove_prefix(1);
    }
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
      item.remove_suffix(1);
    }
    if (http::iequals(item, token)) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return false;
}

http::Response upgrade_required(std::string message) {
  auto response = http::text_response(http::status::upgrade_required, std::move(message));
  response.headers.set("Upgrade", "websocket");
  response.headers.set("Sec-WebSocket-Version", "13");
  return response;
}

}  // namespace

const std::error_category& send_error_category() noexcept {
  static const SendErrorCategory category;
  return category;
}

std::error_code make_error_code(SendError e) noexcept {
  return {static_cast<int>(e), send_error_category()};
}

namespace detail {

std::error_code ConnectionCore::send(bool text, std::string payload) {
  return enqueue(Outgoing{text, std::move(payload), nullptr});
}

std::error_code ConnectionCore::send(std::shared_ptr<const PreparedFrame> frame) {
  const bool text = frame->text;
  return enqueue(Outgoing{text, {}, std::move(frame)});
}

std::error_code ConnectionCore::enqueue(Outgoing frame) {
  if (closed_.load(std::memory_order_acquire)) {
    return make_error_code(SendError::socket_closed);
  }
  const auto cost = frame.payload_size() + frame_overhead;
  if (queued_.fetch_add(cost, std::memory_order_relaxed) + cost > max_queue_bytes_) {
    queued_.fetch_sub(cost, std::memory_order_relaxed);
    return overflow();
  }
  bool post = false;
  {
    std::lock_guard lock(outbox_mutex_);
    if (closed_.load(std::memory_order_relaxed)) {
      // Closed since the check above: the session has taken the outbox for the last time.
      queued_.fetch_sub(cost, std::memory_order_relaxed);
      return make_error_code(SendError::socket_closed);
    }
    outbox_.push_back(std::move(frame));
    post = !std::exchange(drain_posted_, true);
  }
  if (post &&
      !reach_session([](beast::detail::WebSocketSession& session) { session.post_drain(); })) {
    // The session is going (its last reference dropped, or the server is cutting it): nothing
    // in the outbox will be written. Said as it is, and no later send waits behind it.
    drop_outbox();
    return make_error_code(SendError::socket_closed);
  }
  return {};
}

void ConnectionCore::drop_outbox() {
  std::vector<Outgoing> dropped;
  {
    std::lock_guard lock(outbox_mutex_);
    closed_.store(true, std::memory_order_release);
    dropped.swap(outbox_);
    drain_posted_ = false;
  }
  for (const auto& frame : dropped) {
    sent(frame.payload_size(), 1);
  }
}

std::error_code ConnectionCore::overflow() {
  if (slow_consumer_ == SlowConsumerPolicy::drop_message) {
    return make_error_code(SendError::backpressure);
  }
  bool first = false;
  {
    std::lock_guard lock(outbox_mutex_);
    first = !closed_.exchange(true, std::memory_order_acq_rel);
  }
  if (first) {
    beast::detail::Counters::add(state_->counters().slow_consumer_closes_total);
    const std::uint16_t code =
        slow_consumer_ == SlowConsumerPolicy::close_try_again_later ? 1013 : 1008;
    reach_session([code](beast::detail::WebSocketSession& session) {
      session.post_slow_consumer_close(code);
    });
  }
  return make_error_code(SendError::backpressure);
}

void ConnectionCore::frame_done(std::size_t bytes) {
  reach_session(
      [bytes](beast::detail::WebSocketSession& session) { session.post_frame_done(bytes); });
}

void ConnectionCore::close(std::uint16_t code) {
  mark_closed();  // sends after this fail at once, before the session has even seen it
  reach_session([code](beast::detail::WebSocketSession& session) { session.post_close(code); });
}

std::error_code send_frame(ConnectionCore& core, bool text, std::string payload) {
  return core.send(text, std::move(payload));
}

std::error_code send_prepared(ConnectionCore& core,
                              const std::shared_ptr<const PreparedFrame>& frame) {
  return core.send(frame);
}

namespace {
// Header and payload in one buffer: one allocation, written by any number of connections.
std::shared_ptr<const PreparedFrame> prepare(bool text, std::string_view payload) {
  auto frame = std::make_shared<PreparedFrame>();
  const auto header = beast::detail::data_frame_header(text, payload.size());
  frame->text = text;
  frame->payload_size = payload.size();
  frame->wire.reserve(header.size + payload.size());
  frame->wire.append(header.bytes.data(), header.size);
  frame->wire.append(payload);
  return frame;
}
}  // namespace

void frame_done(ConnectionCore& core, std::size_t bytes) {
  core.frame_done(bytes);
}

void close(ConnectionCore& core, std::uint16_t code) {
  core.close(code);
}

Inbound decode(ConnectionCore& core, std::uint64_t tag, std::shared_ptr<const void>& payload) {
  Inbound inbound;
  if (tag == core.frame_tag) {
    const auto& frame = *static_cast<const Frame*>(payload.get());
    inbound.kind = frame.text ? Inbound::Kind::text : Inbound::Kind::binary;
    if (payload.use_count() == 1) {
      // The session made this frame for us alone: its payload is moved, not copied.
      auto& ours = const_cast<Frame&>(frame);
      inbound.data = std::move(ours.data);
      inbound.bytes = std::move(ours.bytes);
    } else {
      inbound.data = frame.data;
      inbound.bytes = frame.bytes;
    }
  } else if (tag == core.closed_tag) {
    const auto& closed = *static_cast<const Closed*>(payload.get());
    inbound.kind = Inbound::Kind::closed;
    inbound.close_code = closed.code;
    inbound.close_reason = closed.reason;
  }
  return inbound;
}

void log_handler_error(ConnectionCore& core, const char* handler, const char* what) {
  core.handler_threw();
  dream::detail::log_error("websocket {} threw: {}; closing the connection with 1011", handler,
                           what);
}

std::optional<http::Response> refuse_upgrade(const http::Request& request) {
  if (request.method != http::Method::Get) {
    return http::bad_request("a WebSocket upgrade must be a GET request");
  }
  if (!has_token(request.header("Upgrade"), "websocket") ||
      !has_token(request.header("Connection"), "upgrade")) {
    return upgrade_required("this endpoint speaks WebSocket: send an upgrade request");
  }
  if (request.header("Sec-WebSocket-Version") != "13") {
    return upgrade_required("only WebSocket version 13 is supported");
  }
  const auto key = request.header("Sec-WebSocket-Key");
  if (!key || key->empty()) {
    return http::bad_request("a WebSocket upgrade needs a Sec-WebSocket-Key");
  }
  return std::nullopt;
}

}  // namespace detail

PreparedMessage prepare_text(std::string_view text) {
  return PreparedMessage(detail::prepare(true, text));
}

PreparedMessage prepare_binary(std::span<const std::byte> data) {
  return PreparedMessage(
      detail::prepare(false, {reinterpret_cast<const char*>(data.data()), data.size()}));
}

std::size_t PreparedMessage::size() const noexcept {
  return frame_->payload_size;
}

bool PreparedMessage::is_text() const noexcept {
  return frame_->text;
}

}  // namespace dream::servers::beast::websocket
