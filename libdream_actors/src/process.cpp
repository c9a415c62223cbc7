#include <atomic>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/mailbox_element.hpp>

#include "delivery.hpp"
#include "dream/process/current.hpp"
#include "envelope_caf.hpp"
#include "process_actor.hpp"
#include "process_cell.hpp"
#include "tsan.hpp"

namespace dream::process {

bool Pid::is_alive() const noexcept {
  return cell_ != nullptr && cell_->alive.load(std::memory_order_acquire);
}

std::uint64_t Pid::id() const noexcept {
  return cell_ ? cell_->id : 0;
}

namespace detail {

std::uint64_t next_process_id() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::uint64_t next_tag() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

void enqueue(const caf::strong_actor_ptr& target, std::uint64_t tag,
             std::shared_ptr<const void> payload, bool batch) {
  auto element = caf::make_mailbox_element(nullptr, caf::make_message_id(), {},
                                           Envelope{tag, std::move(payload), batch});
  // Released after the element is built: building it happens-before its handling.
  dream::detail::tsan_release(target.get());
  // Scheduling on our own worker is cheaper, but only a worker of the target's own system may
  // run it: another system's scheduler could outlive or shut down under it.
  auto* here = ProcessActor::current();
  const bool same_system = here != nullptr && target->home_system == &here->home_system();
  target->enqueue(std::move(element), same_system ? here->context() : nullptr);
}

void send_exit(const caf::strong_actor_ptr& target, caf::exit_reason reason) {
  auto element =
      caf::make_mailbox_element(nullptr, caf::make_message_id(caf::message_priority::high), {},
                                caf::exit_msg{target->get()->address(), reason});
  dream::detail::tsan_release(target.get());
  target->enqueue(std::move(element), nullptr);
}

caf::strong_actor_ptr resolve(const Pid& pid) {
  const auto& cell = pid.cell();
  if (!cell || !cell->alive.load(std::memory_order_acquire)) {
    return nullptr;
  }
  return caf::actor_cast<caf::strong_actor_ptr>(cell->address);
}

std::error_code deliver(const Pid& owner, std::uint64_t tag, std::shared_ptr<const void> payload) {
  auto target = resolve(owner);
  if (!target) {
    return make_error_code(Errc::owner_gone);
  }
  enqueue(target, tag, std::move(payload));
  return {};
}

namespace {
ProcessActor& current_or_throw(const char* operation) {
  auto* process = ProcessActor::current();
  if (process == nullptr) {
    throw NotAProcess(operation);
  }
  return *process;
}
}  // namespace

}  // namespace detail

bool is_process() noexcept {
  return detail::ProcessActor::current() != nullptr;
}

Pid self() {
  return detail::current_or_throw("dream::process::self()").pid();
}

void monitor(const Pid& pid) {
  detail::current_or_throw("dream::process::monitor()").monitor_pid(pid);
}

void demonitor(const Pid& pid) {
  detail::current_or_throw("dream::process::demonitor()").demonitor_pid(pid);
}

void link(const Pid& pid) {
  auto& process = detail::current_or_throw("dream::process::link()");
  if (auto target = detail::resolve(pid)) {
    process.link_to(target);
  } else {
    // Linking to a process that has ended behaves as in Erlang: the link fires at once.
    process.quit(caf::exit_reason::unknown);
  }
}

void kill(const Pid& pid) {
  if (auto target = detail::resolve(pid)) {
    detail::send_exit(target, caf::exit_reason::kill);
  }
}

}  // namespace dream::process
