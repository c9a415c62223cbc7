#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "dream/process/detail/envelope.hpp"
#include "dream/process/down.hpp"
#include "dream/process/pid.hpp"
#include "dream/process/selector.hpp"
#include "dream/process/subject.hpp"

namespace dream {
class Runtime;
}

namespace dream::process {

namespace detail {
/// What an Inbox holds: a message for one of its subjects, or a Down.
using InboxItem = std::variant<Envelope, Down>;
}  // namespace detail

/// A mailbox for a thread that is not a process (main, a test, an I/O thread): it owns
/// subjects, monitors processes and receives with a timeout. Use it from one thread at a time;
/// destroy it before its Runtime. It is itself a small process: Runtime::process_count() counts
/// it, and after Runtime::shutdown() it receives nothing more.
class Inbox {
 public:
  /// Throws std::system_error (Errc::runtime_stopped) if the runtime is shut down.
  explicit Inbox(Runtime& runtime);
  ~Inbox();
  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;

  /// This inbox's own pid: others can monitor it, and it ends when the Inbox is destroyed.
  const Pid& pid() const noexcept;

  /// A new subject that this inbox receives from.
  template <class T>
  Subject<T> new_subject() {
    return Subject<T>(pid(), detail::next_tag());
  }

  /// The next value sent to `subject`, or an empty optional if none arrives within `timeout`.
  /// Messages for other subjects wait in the inbox, in order, for their own receive.
  template <class T>
  std::optional<T> receive(const Subject<T>& subject, std::chrono::milliseconds timeout) {
    auto item = take([&](const Item& i) { return is_for(i, subject.tag()); }, timeout);
    if (!item) {
      return std::nullopt;
    }
    return detail::take_payload<T>(std::get<detail::Envelope>(*item));
  }

  /// The next message `selector` selects (a subject's value or a Down), mapped into a T. If a
  /// mapping throws, the message stays first in the inbox and the exception propagates.
  template <class T>
  std::optional<T> receive(const Selector<T>& selector, std::chrono::milliseconds timeout) {
    auto item = take(
        [&](const Item& i) {
          if (const auto* e = std::get_if<detail::Envelope>(&i)) {
            return selector.selects(e->tag);
          }
          return selector.selects_monitors();
        },
        timeout);
    std::optional<T> out;
    if (item) {
      auto keep = [&out](const T& value) { out.emplace(value); };
      try {
        if (const auto* e = std::get_if<detail::Envelope>(&*item)) {
          selector.dispatch(e->tag, e->payload.get(), keep);
        } else {
          selector.dispatch_down(std::get<Down>(*item), keep);
        }
      } catch (...) {
        put_back(std::move(*item));
        throw;
      }
    }
    return out;
  }

  /// Monitors `pid`; its Down arrives through receive_down (or a selector with select_monitors).
  /// Throws std::invalid_argument for a default Pid, which names no process.
  void monitor(const Pid& pid);

  /// The next Down of a monitored process, or an empty optional after `timeout`.
  std::optional<Down> receive_down(std::chrono::milliseconds timeout);

 private:
  using Item = detail::InboxItem;
  static bool is_for(const Item& item, std::uint64_t tag) noexcept {
    const auto* e = std::get_if<detail::Envelope>(&item);
    return e != nullptr && e->tag == tag;
  }
  std::optional<Item> take(const std::function<bool(const Item&)>& wanted,
                           std::chrono::milliseconds timeout);
  void put_back(Item item);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dream::process
