#pragma once

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "dream/process.hpp"
#include "dream/process/detail/process_body.hpp"

// Service actors (gleam_otp's actor): a process with a state and one message handler that
// says after each message whether to continue, with which state, or to stop.
namespace dream::actor {

using process::Pid;
using process::Selector;
using process::Subject;

/// Returned by a handler to end the actor normally (its monitors get a normal Down).
struct Stop {};
inline Stop stop() noexcept {
  return {};
}

/// Returned by a handler to go on with `state`.
template <class State>
struct Continue {
  State state;
};
template <class State>
Continue<State> continue_with(State state) {
  return Continue<State>{std::move(state)};
}

/// What a handler returns: stop, or continue with a new state and optionally a new selector.
template <class State, class Msg>
class Next {
 public:
  Next(Stop) noexcept {}
  Next(Continue<State> c) : state_(std::move(c.state)) {}
  Next(State state, Selector<Msg> selector)
      : state_(std::move(state)), selector_(std::move(selector)) {}

  bool stops() const noexcept { return !state_.has_value(); }
  /// @private
  State take_state() { return std::move(*state_); }
  /// @private
  std::optional<Selector<Msg>>& selector() noexcept { return selector_; }

 private:
  std::optional<State> state_;
  std::optional<Selector<Msg>> selector_;
};

/// Continue with `state` and listen, beyond the actor's own subject, to what `selector` selects
/// (this replaces the previous extra selector).
template <class State, class Msg>
Next<State, Msg> continue_with_selector(State state, Selector<Msg> selector) {
  return Next<State, Msg>(std::move(state), std::move(selector));
}

/// What an initialiser returns: the first state and, optionally, more to listen to.
template <class State, class Msg>
struct Initialised {
  State state;
  std::optional<Selector<Msg>> selector;
};

/// A started actor: its pid (to monitor, link or kill) and its own subject (to send to).
template <class Msg>
struct Started {
  Pid pid;
  Subject<Msg> subject;
};

/// A message handler: a plain function, so it captures nothing (Dream's rule).
template <class State, class Msg>
using OnMessage = Next<State, Msg> (*)(State, const Msg&);

namespace detail {

// Init is the callable that makes the first state inside the process; a template parameter,
// not a std::function, so a move-only state or argument is fine.
template <class State, class Msg, class Init>
class ActorBody final : public process::detail::ProcessBody {
 public:
  ActorBody(std::uint64_t own_tag, Init init, OnMessage<State, Msg> on_message)
      : own_tag_(own_tag), init_(std::move(init)), on_message_(on_message) {}

  process::detail::Step init() override {
    auto initialised = (*init_)(Subject<Msg>(process::self(), own_tag_));
    init_.reset();
    state_.emplace(std::move(initialised.state));
    if (initialised.selector) {
      extra_ = std::move(*initialised.selector);
    }
    return process::detail::Step::proceed;
  }

  process::detail::Step on_message(std::uint64_t tag,
                                   std::shared_ptr<const void> payload) override {
    auto step = process::detail::Step::proceed;
    auto handle = [&](const Msg& msg) { step = apply(on_message_(std::move(*state_), msg)); };
    if (tag == own_tag_) {
      handle(*static_cast<const Msg*>(payload.get()));
    } else {
      // A subject no longer selected: its message is dropped, as documented.
      extra_.dispatch(tag, payload.get(), handle);
    }
    return step;
  }

  process::detail::Step on_down(const process::Down& down) override {
    auto step = process::detail::Step::proceed;
    extra_.dispatch_down(
        down, [&](const Msg& msg) { step = apply(on_message_(std::move(*state_), msg)); });
    return step;
  }

 private:
  process::detail::Step apply(Next<State, Msg> next) {
    if (next.stops()) {
      return process::detail::Step::stop;
    }
    state_.emplace(next.take_state());
    if (next.selector()) {
      extra_ = std::move(*next.selector());
    }
    return process::detail::Step::proceed;
  }

  std::uint64_t own_tag_;
  std::optional<Init> init_;
  OnMessage<State, Msg> on_message_;
  std::optional<State> state_;
  Selector<Msg> extra_;
};

template <class State, class Msg, class Init>
Result<Started<Msg>> start_body(Runtime& runtime, Init init, OnMessage<State, Msg> on_message) {
  const auto tag = process::detail::next_tag();
  auto pid = process::detail::spawn(
      runtime, std::make_unique<ActorBody<State, Msg, Init>>(tag, std::move(init), on_message));
  if (pid == Pid{}) {
    return make_error_code(process::Errc::runtime_stopped);
  }
  return Started<Msg>{pid, Subject<Msg>(pid, tag)};
}

}  // namespace detail

/// Starts an actor with `initial` state that handles each message sent to its subject with
/// `on_message`. Fails with Errc::runtime_stopped after Runtime::shutdown().
template <class State, class Msg>
Result<Started<Msg>> start(Runtime& runtime, std::type_identity_t<State> initial,
                           OnMessage<State, Msg> on_message) {
  return detail::start_body<State, Msg>(
      runtime,
      [state = std::move(initial)](Subject<Msg>) mutable {
        return Initialised<State, Msg>{std::move(state), std::nullopt};
      },
      on_message);
}

/// Starts an actor whose first state comes from `on_init(own_subject, argument)`, run inside
/// the new process: there it may subscribe, monitor, and return a selector to listen to.
template <class State, class Msg, class Arg>
Result<Started<Msg>> start_with_init(Runtime& runtime, Arg argument,
                                     Initialised<State, Msg> (*on_init)(Subject<Msg>, const Arg&),
                                     OnMessage<State, Msg> on_message) {
  return detail::start_body<State, Msg>(
      runtime, [on_init, arg = std::move(argument)](Subject<Msg> own) { return on_init(own, arg); },
      on_message);
}

}  // namespace dream::actor
