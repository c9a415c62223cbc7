#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <system_error>
#include <type_traits>

#include "dream/process.hpp"

// Dream's broadcaster: a pub/sub service process. Subscribers are processes (or Inboxes); the
// broadcaster monitors each one and forgets it when it ends, with no unsubscribe needed.
// Messages one sender publishes reach every subscriber in the order they were published, and
// a published payload is shared by all subscribers, never copied per subscriber.
namespace dream::services::broadcaster {

namespace detail {
struct Command;
/// The untyped broadcaster all Broadcaster<T> share, compiled once in the library.
struct Bus {
  process::Subject<Command> commands;
  std::shared_ptr<std::atomic<bool>> stopped;  // set by stop(): later calls fail at once
};
Result<Bus> start(Runtime& runtime);
std::error_code subscribe(const Bus& bus, const process::Pid& subscriber, std::uint64_t tag);
std::error_code unsubscribe(const Bus& bus, std::uint64_t tag);
std::error_code publish(const Bus& bus, std::shared_ptr<const void> payload);
Result<std::size_t> count(const Bus& bus, std::chrono::milliseconds timeout);
std::error_code stop(const Bus& bus);
}  // namespace detail

/// A handle on a running broadcaster of T messages; cheap to copy into Dependencies.
template <class T>
class Broadcaster {
 public:
  /// The broadcaster's own process (to monitor it, say).
  const process::Pid& pid() const noexcept { return bus_.commands.owner(); }
  /// @private
  explicit Broadcaster(detail::Bus bus) noexcept : bus_(std::move(bus)) {}
  /// @private
  const detail::Bus& bus() const noexcept { return bus_; }

 private:
  detail::Bus bus_;
};

/// One subscription: the subject the broadcaster sends this subscriber's messages to.
template <class T>
class Channel {
 public:
  /// @private
  explicit Channel(process::Subject<T> subject) noexcept : subject_(std::move(subject)) {}
  /// Where the messages arrive: select it, or receive from it with an Inbox.
  const process::Subject<T>& subject() const noexcept { return subject_; }

 private:
  process::Subject<T> subject_;
};

/// Starts a broadcaster process under `runtime`; fails only after Runtime::shutdown().
template <class T>
Result<Broadcaster<T>> start_broadcaster(Runtime& runtime) {
  auto bus = detail::start(runtime);
  if (!bus) {
    return bus.error();
  }
  return Broadcaster<T>(*bus);
}

/// Subscribes the calling process; messages published after the broadcaster has handled this
/// subscription reach it. Throws process::NotAProcess outside a process (use the Inbox form).
/// On a stopped broadcaster it logs an error and returns a channel that receives nothing.
template <class T>
Channel<T> subscribe(const Broadcaster<T>& bus) {
  auto subject = process::new_subject<T>();
  (void)detail::subscribe(bus.bus(), subject.owner(), subject.tag());
  return Channel<T>(std::move(subject));
}

/// Subscribes `inbox`, for threads that are not processes.
template <class T>
Channel<T> subscribe(const Broadcaster<T>& bus, process::Inbox& inbox) {
  auto subject = inbox.new_subject<T>();
  (void)detail::subscribe(bus.bus(), subject.owner(), subject.tag());
  return Channel<T>(std::move(subject));
}

/// A selector that receives this channel's messages as they are (by const reference).
template <class T>
process::Selector<T> channel_to_selector(const Channel<T>& channel) {
  return process::Selector<T>().select(channel.subject());
}

/// Sends `message` to every current subscriber; the message is moved once into a shared
/// payload. Errc::broadcaster_stopped if the broadcaster has been stopped.
template <class T>
Result<> publish(const Broadcaster<T>& bus, std::type_identity_t<T> message) {
  if (auto ec = detail::publish(bus.bus(), std::make_shared<T>(std::move(message)))) {
    return ec;
  }
  return {};
}

/// Ends a subscription; nothing published after the broadcaster handles this reaches it.
template <class T>
Result<> unsubscribe(const Broadcaster<T>& bus, const Channel<T>& channel) {
  if (auto ec = detail::unsubscribe(bus.bus(), channel.subject().tag())) {
    return ec;
  }
  return {};
}

/// How many subscriptions the broadcaster holds now, for tests and metrics. Blocks the caller
/// for one round trip (so avoid it inside a process); Errc::timeout if no answer in `timeout`,
/// Errc::broadcaster_stopped if it stopped (even while we waited).
template <class T>
Result<std::size_t> subscriber_count(const Broadcaster<T>& bus,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  return detail::count(bus.bus(), timeout);
}

/// Stops the broadcaster after what was published before. Once this returns, every later call
/// on this broadcaster, from any thread, gets Errc::broadcaster_stopped.
template <class T>
Result<> stop_broadcaster(const Broadcaster<T>& bus) {
  if (auto ec = detail::stop(bus.bus())) {
    return ec;
  }
  return {};
}

}  // namespace dream::services::broadcaster
