#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dream/actor.hpp"
#include "dream/http/request.hpp"
#include "dream/http/response.hpp"
#include "dream/process.hpp"

// WebSockets as Dream has them (dream/servers/mist/websocket): a controller calls
// upgrade_websocket with explicit dependencies and three plain functions; every connection is
// then a process that owns its state and handles one message at a time.
namespace dream::servers::beast::websocket {

/// A text frame from the client (valid UTF-8: the server closes with 1007 otherwise).
struct TextMessage {
  std::string text;
};
/// A binary frame from the client.
struct BinaryMessage {
  std::vector<std::byte> data;
};
/// A value delivered through the connection's selector (from a broadcaster, say). It refers
/// to the shared payload, valid for the on_message call: copy it to keep it.
template <class Custom>
struct CustomMessage {
  const Custom& value;
};
/// The connection has ended: the client closed or vanished, or the server is stopping. The
/// last message on_message gets; on_close follows. `code` is the close code (1006: no close
/// frame, the connection dropped).
struct ConnectionClosed {
  std::uint16_t code = 1006;
  std::string reason;
};
/// What on_message receives.
template <class Custom>
using Message = std::variant<TextMessage, BinaryMessage, CustomMessage<Custom>, ConnectionClosed>;

/// What on_message returns: continue (with a state, maybe a new selector) or stop.
template <class State, class Custom>
using Action = actor::Next<State, Custom>;

/// Keep the connection open with `state`.
template <class State>
actor::Continue<State> continue_connection(State state) {
  return actor::continue_with(std::move(state));
}
/// Keep the connection open with `state`, now listening to what `selector` selects.
template <class State, class Custom>
Action<State, Custom> continue_connection_with_selector(State state,
                                                        process::Selector<Custom> selector) {
  return actor::continue_with_selector(std::move(state), std::move(selector));
}
/// Close the connection normally (1000); on_close follows.
inline actor::Stop stop_connection() noexcept {
  return {};
}

/// Why a send failed (Dream's SendError, plus backpressure); a std::error_code enum.
enum class SendError {
  socket_closed = 1,  ///< the connection has closed; nothing more can be sent
  timeout,            ///< as in Dream; not produced yet (a failed write ends the connection)
  unknown_error,      ///< as in Dream; not produced yet
  backpressure,       ///< the outbound queue is full (ServerConfig::max_websocket_queue_bytes)
};
const std::error_category& send_error_category() noexcept;
std::error_code make_error_code(SendError e) noexcept;

namespace detail {
class ConnectionCore;
struct PreparedFrame;
std::error_code send_frame(ConnectionCore& core, bool text, std::string payload);
std::error_code send_prepared(ConnectionCore& core,
                              const std::shared_ptr<const PreparedFrame>& frame);
}  // namespace detail

/// A handle to one WebSocket connection, for sending. Cheap to copy; safe from any thread.
class Connection {
 public:
  /// @private Made by the server.
  explicit Connection(std::shared_ptr<detail::ConnectionCore> core) : core_(std::move(core)) {}
  /// @private
  detail::ConnectionCore& core() const noexcept { return *core_; }

 private:
  std::shared_ptr<detail::ConnectionCore> core_;
};

/// Queues a text frame and returns at once: it never waits for the network. Fails with
/// SendError::socket_closed once the connection has closed, ::backpressure when the queue is full.
inline Result<> send_text(const Connection& connection, std::string text) {
  if (auto ec = detail::send_frame(connection.core(), true, std::move(text))) {
    return ec;
  }
  return {};
}
/// Queues a binary frame; as send_text.
inline Result<> send_binary(const Connection& connection, const std::vector<std::byte>& data) {
  std::string bytes(reinterpret_cast<const char*>(data.data()), data.size());
  if (auto ec = detail::send_frame(connection.core(), false, std::move(bytes))) {
    return ec;
  }
  return {};
}

class PreparedMessage;
PreparedMessage prepare_text(std::string_view text);
PreparedMessage prepare_binary(std::span<const std::byte> data);

/// A message framed once to be sent to many connections (a broadcast): prepare_text or
/// prepare_binary builds its frame, and every send_prepared queues that one frame by reference.
/// Cheap to copy, immutable, safe to share between threads. Never empty: a move copies.
class PreparedMessage {
 public:
  PreparedMessage(const PreparedMessage&) = default;
  PreparedMessage& operator=(const PreparedMessage&) = default;

  /// The payload's size in bytes (the frame header not counted).
  std::size_t size() const noexcept;
  /// True for a text frame, false for a binary one.
  bool is_text() const noexcept;
  /// @private
  const std::shared_ptr<const detail::PreparedFrame>& frame() const noexcept { return frame_; }

 private:
  friend PreparedMessage prepare_text(std::string_view text);
  friend PreparedMessage prepare_binary(std::span<const std::byte> data);
  explicit PreparedMessage(std::shared_ptr<const detail::PreparedFrame> frame) noexcept
      : frame_(std::move(frame)) {}

  std::shared_ptr<const detail::PreparedFrame> frame_;
};

/// Frames `text` once for any number of send_prepared calls. Like send_text's, it must be
/// valid UTF-8: the server does not check what it sends.
PreparedMessage prepare_text(std::string_view text);
/// Frames `data` once as a binary message for any number of send_prepared calls.
PreparedMessage prepare_binary(std::span<const std::byte> data);

/// Queues a prepared frame, as send_text queues a text frame, and with the same errors; the
/// queue holds a reference to the shared frame. It counts the payload's size against
/// ServerConfig::max_websocket_queue_bytes, as if it were the connection's own.
inline Result<> send_prepared(const Connection& connection, const PreparedMessage& message) {
  if (auto ec = detail::send_prepared(connection.core(), message.frame())) {
    return ec;
  }
  return {};
}

template <class State, class Custom, class Deps>
using OnInit = std::pair<State, std::optional<process::Selector<Custom>>> (*)(Connection&,
                                                                              const Deps&);
template <class State, class Custom, class Deps>
using OnMessage = Action<State, Custom> (*)(State, Message<Custom>, Connection&, const Deps&);
template <class State, class Deps>
using OnClose = void (*)(State, const Deps&);

}  // namespace dream::servers::beast::websocket

template <>
struct std::is_error_code_enum<dream::servers::beast::websocket::SendError> : std::true_type {};

namespace dream::detail {

/// What upgrade_websocket attaches to its response: how to make the connection's process.
struct WebSocketUpgrade {
  virtual ~WebSocketUpgrade() = default;
  virtual std::unique_ptr<process::detail::ProcessBody> make_body(
      servers::beast::websocket::Connection connection) const = 0;
};

}  // namespace dream::detail

namespace dream::servers::beast::websocket {
namespace detail {

/// What the server sent the connection's process: a frame, the end, or neither (not ours).
struct Inbound {
  enum class Kind { none, text, binary, closed } kind = Kind::none;
  std::string data;                 // a text frame's payload
  std::vector<std::byte> bytes;     // a binary frame's payload
  std::uint16_t close_code = 1006;  // with closed
  std::string close_reason;
};
Inbound decode(ConnectionCore& core, std::uint64_t tag, std::shared_ptr<const void>& payload);
/// Tells the server the process is done with one frame of `bytes` payload bytes (inbound flow
/// control: the session counts frames and bytes read but not yet handled).
void frame_done(ConnectionCore& core, std::size_t bytes);
/// Ends the connection from the process side with `code` (1000 normal, 1011 error...).
void close(ConnectionCore& core, std::uint16_t code);
/// Logs a handler's exception and counts it in the server's metrics.
void log_handler_error(ConnectionCore& core, const char* handler, const char* what);
/// The upgrade headers' verdict: empty when the request may upgrade, else the reason.
std::optional<http::Response> refuse_upgrade(const http::Request& request);

/// The connection's process: holds the user's state and dependencies, turns frames and
/// selected values into Messages, and makes sure on_close runs exactly once, however it ends.
template <class State, class Custom, class Deps>
class ConnectionBody final : public process::detail::ProcessBody {
  using Step = process::detail::Step;

 public:
  ConnectionBody(Connection connection, Deps deps, OnInit<State, Custom, Deps> on_init,
                 OnMessage<State, Custom, Deps> on_message, OnClose<State, Deps> on_close)
      : connection_(std::move(connection)),
        deps_(std::move(deps)),
        on_init_(on_init),
        on_message_(on_message),
        on_close_(on_close) {}

  Step init() override {
    try {
      auto [state, selector] = on_init_(connection_, deps_);
      state_.emplace(std::move(state));
      if (selector) {
        selector_ = std::move(*selector);
      }
      return Step::proceed;
    } catch (const std::exception& e) {
      log_handler_error(connection_.core(), "on_init", e.what());
    } catch (...) {
      log_handler_error(connection_.core(), "on_init", "a non-standard exception");
    }
    // No state yet: there is nothing to close, only the socket (1011).
    finished_ = true;
    close(connection_.core(), 1011);
    return Step::stop;
  }

  Step on_message(std::uint64_t tag, std::shared_ptr<const void> payload) override {
    auto inbound = decode(connection_.core(), tag, payload);
    switch (inbound.kind) {
      case Inbound::Kind::text: {
        const auto bytes = inbound.data.size();
        auto step = handle(TextMessage{std::move(inbound.data)});
        frame_done(connection_.core(), bytes);
        return step;
      }
      case Inbound::Kind::binary: {
        const auto bytes = inbound.bytes.size();
        auto step = handle(BinaryMessage{std::move(inbound.bytes)});
        frame_done(connection_.core(), bytes);
        return step;
      }
      case Inbound::Kind::closed:
        if (!finished_) {
          (void)handle(ConnectionClosed{inbound.close_code, std::move(inbound.close_reason)});
        }
        return finish(inbound.close_code);
      case Inbound::Kind::none:
        break;
    }
    auto step = Step::proceed;
    selector_.dispatch(tag, payload.get(),
                       [&](const Custom& value) { step = handle(CustomMessage<Custom>{value}); });
    return step;
  }

  Step on_down(const process::Down& down) override {
    auto step = Step::proceed;
    selector_.dispatch_down(
        down, [&](const Custom& value) { step = handle(CustomMessage<Custom>{value}); });
    return step;
  }

  void on_exit() override {
    // Ended without saying goodbye (the runtime was shut down, say): on_close still runs.
    finish(1001);
  }

 private:
  Step handle(Message<Custom> message) {
    if (finished_) {
      return Step::stop;
    }
    const bool closing = std::holds_alternative<ConnectionClosed>(message);
    try {
      // A copy goes in, so that on_close gets the last good state even if this throws.
      auto next = on_message_(State(*state_), std::move(message), connection_, deps_);
      if (next.stops()) {
        return finish(1000);
      }
      state_.emplace(next.take_state());
      if (next.selector()) {
        selector_ = std::move(*next.selector());
      }
      return closing ? Step::stop : Step::proceed;
    } catch (const std::exception& e) {
      log_handler_error(connection_.core(), "on_message", e.what());
    } catch (...) {
      log_handler_error(connection_.core(), "on_message", "a non-standard exception");
    }
    return finish(1011);
  }

  // Runs on_close once, with the last state, and closes the socket with `code`.
  Step finish(std::uint16_t code) {
    if (!finished_) {
      finished_ = true;
      close(connection_.core(), code);
      try {
        on_close_(std::move(*state_), deps_);
      } catch (const std::exception& e) {
        log_handler_error(connection_.core(), "on_close", e.what());
      } catch (...) {
        log_handler_error(connection_.core(), "on_close", "a non-standard exception");
      }
    }
    return Step::stop;
  }

  Connection connection_;
  Deps deps_;
  OnInit<State, Custom, Deps> on_init_;
  OnMessage<State, Custom, Deps> on_message_;
  OnClose<State, Deps> on_close_;
  std::optional<State> state_;
  process::Selector<Custom> selector_;
  bool finished_ = false;
};

template <class State, class Custom, class Deps>
struct Upgrade final : dream::detail::WebSocketUpgrade {
  Deps deps;
  OnInit<State, Custom, Deps> on_init;
  OnMessage<State, Custom, Deps> on_message;
  OnClose<State, Deps> on_close;

  Upgrade(Deps d, OnInit<State, Custom, Deps> i, OnMessage<State, Custom, Deps> m,
          OnClose<State, Deps> c)
      : deps(std::move(d)), on_init(i), on_message(m), on_close(c) {}

  std::unique_ptr<process::detail::ProcessBody> make_body(Connection connection) const override {
    return std::make_unique<ConnectionBody<State, Custom, Deps>>(std::move(connection), deps,
                                                                 on_init, on_message, on_close);
  }
};

}  // namespace detail

/// Upgrades the request to a WebSocket whose process runs `on_init` once, `on_message` for
/// every frame or selected value, and `on_close` exactly once at the end, each with
/// `dependencies`. The handlers are plain functions: a capturing lambda does not compile.
/// Returns the response the controller returns: the handshake, or 426 (with
/// Sec-WebSocket-Version: 13) / 400 when the request is not a valid upgrade. State must be
/// copyable: on_close gets the last state even when on_message throws.
template <class State, class Custom, class Deps>
http::Response upgrade_websocket(const http::Request& request,
                                 std::type_identity_t<Deps> dependencies,
                                 OnInit<State, Custom, Deps> on_init,
                                 OnMessage<State, Custom, Deps> on_message,
                                 OnClose<State, Deps> on_close) {
  static_assert(std::is_copy_constructible_v<State>,
                "a WebSocket State must be copyable: on_close receives the last state even "
                "when on_message throws");
  if (auto refusal = detail::refuse_upgrade(request)) {
    return std::move(*refusal);
  }
  http::Response response;
  response.status = 101;
  response.upgrade = std::make_shared<const detail::Upgrade<State, Custom, Deps>>(
      std::move(dependencies), on_init, on_message, on_close);
  return response;
}

}  // namespace dream::servers::beast::websocket
