#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "dream/actor.hpp"
#include "dream/http/request.hpp"
#include "dream/http/response.hpp"
#include "dream/process.hpp"

// Server-Sent Events as Dream has them (dream/servers/mist/sse): a controller calls
// upgrade_to_sse with explicit dependencies and plain functions; every SSE connection is then
// a process with a typed mailbox that turns the messages it receives into events.
namespace dream::servers::beast::sse {

/// One event as the client's EventSource sees it: data, and optionally a name (the `event:`
/// field), an id (what the client sends back as Last-Event-ID) and a reconnection delay.
struct Event {
  std::string data;
  std::optional<std::string> name;
  std::optional<std::string> id;
  std::optional<std::uint32_t> retry_ms;
};

/// An event carrying `data` (any text; several lines become several `data:` fields).
inline Event event(std::string data) {
  return Event{std::move(data), std::nullopt, std::nullopt, std::nullopt};
}
/// `e` named `name` (the client's addEventListener(name)). CR and LF are removed: a name
/// cannot add fields of its own.
Event event_name(Event e, std::string name);
/// `e` with id `id`. CR, LF and NUL are removed (a NUL would make browsers ignore the id).
Event event_id(Event e, std::string id);
/// `e` asking the client to wait `ms` milliseconds before reconnecting.
inline Event event_retry(Event e, std::uint32_t ms) {
  e.retry_ms = ms;
  return e;
}
/// The bytes `e` is sent as, per the HTML standard: `event:`, `id:`, `retry:`, one `data:`
/// line per line of data (CRLF, CR or LF split lines), then a blank line.
std::string serialize(const Event& e);

/// Why a send failed (Dream's Result(Nil, Nil), with the reason); a std::error_code enum.
enum class SendError {
  socket_closed = 1,  ///< the client has gone or the connection has ended
  backpressure,       ///< the outbound queue is full (ServerConfig::max_sse_queue_bytes)
};
const std::error_category& send_error_category() noexcept;
std::error_code make_error_code(SendError e) noexcept;

namespace detail {
class SseCore;
std::error_code send_bytes(SseCore& core, std::string bytes);
}  // namespace detail

/// A handle to one SSE connection, for send_event (Dream's SSEConnection). Cheap to copy.
class Connection {
 public:
  /// @private Made by the server.
  explicit Connection(std::shared_ptr<detail::SseCore> core) : core_(std::move(core)) {}
  /// @private
  detail::SseCore& core() const noexcept { return *core_; }

 private:
  std::shared_ptr<detail::SseCore> core_;
};

/// Queues `e` and returns at once: it never waits for the network. Fails with
/// SendError::socket_closed once the connection has ended, ::backpressure when the queue is full
/// (the event is then dropped; the connection stays open).
inline Result<> send_event(const Connection& connection, const Event& e) {
  if (auto ec = detail::send_bytes(connection.core(), serialize(e))) {
    return ec;
  }
  return {};
}

/// What on_message returns: continue (with a state, maybe a new selector) or stop.
template <class State, class Message>
using Action = actor::Next<State, Message>;

/// Keep the connection open with `state`.
template <class State>
actor::Continue<State> continue_connection(State state) {
  return actor::continue_with(std::move(state));
}
/// Keep the connection open with `state`, now also listening to what `selector` selects.
template <class State, class Message>
Action<State, Message> continue_connection_with_selector(State state,
                                                         process::Selector<Message> selector) {
  return actor::continue_with_selector(std::move(state), std::move(selector));
}
/// End the connection once the events already sent are written; on_close follows.
inline actor::Stop stop_connection() noexcept {
  return {};
}

/// The client's Last-Event-ID header (the id of the last event it received before
/// reconnecting), or nothing on a first connection.
using LastEventId = std::optional<std::string>;

/// Runs once in the new process: gets its own subject and the client's Last-Event-ID, returns
/// the first state and, optionally, a selector of more messages to listen to.
template <class State, class Message, class Deps>
using OnInit = std::pair<State, std::optional<process::Selector<Message>>> (*)(
    process::Subject<Message>, const LastEventId&, const Deps&);
/// Runs for every message the process receives; sends events through the connection.
template <class State, class Message, class Deps>
using OnMessage = Action<State, Message> (*)(State, const Message&, Connection&, const Deps&);
/// Runs once, with the last state, after the connection has ended.
template <class State, class Deps>
using OnClose = void (*)(State, const Deps&);

}  // namespace dream::servers::beast::sse

template <>
struct std::is_error_code_enum<dream::servers::beast::sse::SendError> : std::true_type {};

namespace dream::detail {

/// What upgrade_to_sse attaches to its response: how to make the connection's process.
struct SseUpgrade {
  virtual ~SseUpgrade() = default;
  virtual std::unique_ptr<process::detail::ProcessBody> make_body(
      servers::beast::sse::Connection connection) const = 0;
};

}  // namespace dream::detail

namespace dream::servers::beast::sse {
namespace detail {

/// True if `tag` is the server's word that the connection has ended.
bool is_end(const SseCore& core, std::uint64_t tag) noexcept;
/// Ends the connection from the process side, once what is queued has been written.
void close(SseCore& core);
void log_handler_error(const char* handler, const char* what);

/// The connection's process: holds the state and dependencies, hands every message sent to
/// its own subject or selected by its selector to on_message, and runs on_close exactly once.
template <class State, class Message, class Deps>
class SseBody final : public process::detail::ProcessBody {
  using Step = process::detail::Step;

 public:
  SseBody(Connection connection, Deps deps, LastEventId last_event_id,
          OnInit<State, Message, Deps> on_init, OnMessage<State, Message, Deps> on_message,
          OnClose<State, Deps> on_close)
      : connection_(std::move(connection)),
        deps_(std::move(deps)),
        last_event_id_(std::move(last_event_id)),
        on_init_(on_init),
        on_message_(on_message),
        on_close_(on_close) {}

  Step init() override {
    try {
      auto [state, selector] =
          on_init_(process::Subject<Message>(process::self(), own_tag_), last_event_id_, deps_);
      state_.emplace(std::move(state));
      if (selector) {
        selector_ = std::move(*selector);
      }
      return Step::proceed;
    } catch (const std::exception& e) {
      log_handler_error("on_init", e.what());
    } catch (...) {
      log_handler_error("on_init", "a non-standard exception");
    }
    finished_ = true;  // no state: there is nothing for on_close, only the socket to end
    close(connection_.core());
    return Step::stop;
  }

  Step on_message(std::uint64_t tag, std::shared_ptr<const void> payload) override {
    if (is_end(connection_.core(), tag)) {
      return finish();
    }
    if (tag == own_tag_) {
      return handle(*static_cast<const Message*>(payload.get()));
    }
    auto step = Step::proceed;
    selector_.dispatch(tag, payload.get(), [&](const Message& value) { step = handle(value); });
    return step;
  }

  Step on_down(const process::Down& down) override {
    auto step = Step::proceed;
    selector_.dispatch_down(down, [&](const Message& value) { step = handle(value); });
    return step;
  }

  void on_exit() override { finish(); }

 private:
  Step handle(const Message& message) {
    if (finished_) {
      return Step::stop;
    }
    try {
      // A copy goes in, so that on_close gets the last good state even if this throws.
      auto next = on_message_(State(*state_), message, connection_, deps_);
      if (next.stops()) {
        return finish();
      }
      state_.emplace(next.take_state());
      if (next.selector()) {
        selector_ = std::move(*next.selector());
      }
      return Step::proceed;
    } catch (const std::exception& e) {
      log_handler_error("on_message", e.what());
    } catch (...) {
      log_handler_error("on_message", "a non-standard exception");
    }
    return finish();
  }

  // Ends the connection and runs on_close once, with the last state.
  Step finish() {
    if (!finished_) {
      finished_ = true;
      close(connection_.core());
      if (on_close_ != nullptr) {
        try {
          on_close_(std::move(*state_), deps_);
        } catch (const std::exception& e) {
          log_handler_error("on_close", e.what());
        } catch (...) {
          log_handler_error("on_close", "a non-standard exception");
        }
      }
    }
    return Step::stop;
  }

  const std::uint64_t own_tag_ = process::detail::next_tag();
  Connection connection_;
  Deps deps_;
  LastEventId last_event_id_;
  OnInit<State, Message, Deps> on_init_;
  OnMessage<State, Message, Deps> on_message_;
  OnClose<State, Deps> on_close_;
  std::optional<State> state_;
  process::Selector<Message> selector_;
  bool finished_ = false;
};

template <class State, class Message, class Deps>
struct Upgrade final : dream::detail::SseUpgrade {
  Deps deps;
  LastEventId last_event_id;
  OnInit<State, Message, Deps> on_init;
  OnMessage<State, Message, Deps> on_message;
  OnClose<State, Deps> on_close;

  Upgrade(Deps d, LastEventId l, OnInit<State, Message, Deps> i, OnMessage<State, Message, Deps> m,
          OnClose<State, Deps> c)
      : deps(std::move(d)), last_event_id(std::move(l)), on_init(i), on_message(m), on_close(c) {}

  std::unique_ptr<process::detail::ProcessBody> make_body(Connection connection) const override {
    return std::make_unique<SseBody<State, Message, Deps>>(
        std::move(connection), deps, last_event_id, on_init, on_message, on_close);
  }
};

/// The response upgrade_to_sse returns: the stream's headers and `upgrade` (the server sends
/// a HEAD request the headers only, and starts no process for it).
http::Response sse_response(std::shared_ptr<const dream::detail::SseUpgrade> upgrade);
/// The request's Last-Event-ID header, if any.
LastEventId last_event_id(const http::Request& request);

}  // namespace detail

/// Turns the request into an event stream whose process runs `on_init` once (with its own
/// subject, so other code can send it messages, and the client's Last-Event-ID), `on_message`
/// for every message it receives, and `on_close` exactly once when the connection ends (the
/// client went away, stop_connection, a handler threw, the server stopped). The handlers are
/// plain functions: a capturing lambda does not compile. Headers a middleware adds to the
/// returned response are sent with the 200 text/event-stream response. Accept is not checked
/// (as in Dream); a HEAD request gets the headers only, and no process.
template <class State, class Message, class Deps>
http::Response upgrade_to_sse(const http::Request& request, std::type_identity_t<Deps> dependencies,
                              OnInit<State, Message, Deps> on_init,
                              OnMessage<State, Message, Deps> on_message,
                              OnClose<State, Deps> on_close) {
  static_assert(std::is_copy_constructible_v<State>,
                "an SSE State must be copyable: on_close receives the last state even when "
                "on_message throws");
  return detail::sse_response(std::make_shared<const detail::Upgrade<State, Message, Deps>>(
      std::move(dependencies), detail::last_event_id(request), on_init, on_message, on_close));
}

/// upgrade_to_sse without on_close (Dream's form): nothing runs when the connection ends.
template <class State, class Message, class Deps>
http::Response upgrade_to_sse(const http::Request& request, std::type_identity_t<Deps> dependencies,
                              OnInit<State, Message, Deps> on_init,
                              OnMessage<State, Message, Deps> on_message) {
  return upgrade_to_sse<State, Message, Deps>(request, std::move(dependencies), on_init, on_message,
                                              OnClose<State, Deps>{nullptr});
}

}  // namespace dream::servers::beast::sse
