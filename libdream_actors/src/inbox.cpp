#include "dream/process/inbox.hpp"

#include <deque>

#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/system_messages.hpp>

#include "dream/runtime.hpp"
#include "envelope_caf.hpp"
#include "monitors.hpp"
#include "process_cell.hpp"
#include "tsan.hpp"

namespace dream::process {

struct Inbox::Impl {
  explicit Impl(caf::actor_system& system)
      : self(system),
        cell(std::make_shared<detail::ProcessCell>(self->address(), self->id())),
        pid(cell) {}

  caf::scoped_actor self;
  std::shared_ptr<detail::ProcessCell> cell;
  Pid pid;
  std::deque<Item> stash;  // arrived, not yet asked for, in arrival order
  detail::Monitors monitors;
};

Inbox::Inbox(Runtime& runtime) : impl_(std::make_unique<Impl>(runtime.system())) {}

Inbox::~Inbox() {
  // Before the scoped actor ends and its monitors hear of it.
  impl_->cell->alive.store(false, std::memory_order_release);
}

const Pid& Inbox::pid() const noexcept { return impl_->pid; }

void Inbox::monitor(const Pid& pid) { impl_->monitors.add(*impl_->self.ptr(), pid); }

std::optional<Down> Inbox::receive_down(std::chrono::milliseconds timeout) {
  auto item = take([](const Item& i) { return std::holds_alternative<Down>(i); }, timeout);
  if (!item) {
    return std::nullopt;
  }
  return std::get<Down>(std::move(*item));
}

std::optional<Inbox::Item> Inbox::take(const std::function<bool(const Item&)>& wanted,
                                       std::chrono::milliseconds timeout) {
  auto& stash = impl_->stash;
  for (auto it = stash.begin(); it != stash.end(); ++it) {
    if (wanted(*it)) {
      Item item = std::move(*it);
      stash.erase(it);
      return item;
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return std::nullopt;
    }
    std::optional<Item> arrived;
    impl_->self->receive(
        [&](detail::Envelope& envelope) { arrived.emplace(std::move(envelope)); },
        [&](caf::down_msg& msg) {
          if (auto down = impl_->monitors.take(msg, impl_->self->system())) {
            arrived.emplace(std::move(*down));
          }
        },
        caf::after(std::chrono::duration_cast<std::chrono::microseconds>(deadline - now)) >>
            [] {});
    dream::detail::tsan_acquire(impl_->self->ctrl());
    if (arrived) {
      if (wanted(*arrived)) {
        return arrived;
      }
      stash.push_back(std::move(*arrived));
    }
  }
}

}  // namespace dream::process
