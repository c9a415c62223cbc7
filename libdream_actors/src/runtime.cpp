#include "dream/runtime.hpp"

#include <stdexcept>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>

#include "delivery.hpp"
#include "process_actor.hpp"
#include "runtime_impl.hpp"

namespace dream {

Runtime::Runtime(RuntimeConfig config) : impl_(std::make_shared<Impl>()) {
  impl_->config = std::make_unique<caf::actor_system_config>();
  if (config.scheduler_threads > 0) {
    impl_->config->set("scheduler.max-threads", config.scheduler_threads);
  }
  impl_->owned = std::make_unique<caf::actor_system>(*impl_->config);
  impl_->system = impl_->owned.get();
}

Runtime::Runtime(caf::actor_system& system) : impl_(std::make_shared<Impl>()) {
  impl_->system = &system;
}

namespace detail {
// Out of line and named, so the ThreadSanitizer suppression for CAF's own shutdown can name it.
[[gnu::noinline]] void destroy_owned_actor_system(Runtime::Impl& impl) {
  impl.owned.reset();
  impl.config.reset();
}
}  // namespace detail

Runtime::~Runtime() {
  shutdown();
  // An owned system waits here for any actor still running (an Inbox not yet destroyed).
  detail::destroy_owned_actor_system(*impl_);
}

caf::actor_system& Runtime::system() const noexcept {
  return *impl_->system;
}

std::size_t Runtime::process_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->running.size();
}

void Runtime::shutdown() {
  if (process::detail::ProcessActor::current() != nullptr) {
    throw std::logic_error(
        "Runtime::shutdown() called from inside a process: it waits for every process to "
        "end, this one included; call it from the thread that owns the Runtime");
  }
  std::vector<caf::actor> victims;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
    for (const auto& [id, handle] : impl_->running) {
      victims.push_back(handle);
    }
  }
  for (const auto& handle : victims) {
    process::detail::send_exit(caf::actor_cast<caf::strong_actor_ptr>(handle),
                               caf::exit_reason::kill);
  }
  victims.clear();
  std::unique_lock lock(impl_->mutex);
  impl_->all_ended.wait(lock, [this] { return impl_->running.empty() && impl_->spawning == 0; });
}

void Runtime::Impl::forget(caf::actor_id id) {
  caf::actor released;
  {
    std::lock_guard lock(mutex);
    auto it = running.find(id);
    if (it == running.end()) {
      return;
    }
    released = std::move(it->second);
    running.erase(it);
    if (running.empty() && spawning == 0) {
      all_ended.notify_all();
    }
  }
  // `released` drops the last strong reference outside the lock.
}

namespace process::detail {

Pid spawn(Runtime& runtime, std::unique_ptr<ProcessBody> body) {
  const auto& impl = runtime.impl();
  {
    std::lock_guard lock(impl->mutex);
    if (impl->stopped) {
      return Pid{};
    }
    ++impl->spawning;  // shutdown() waits for this spawn to be tracked
  }
  caf::actor handle = impl->system->spawn<ProcessActor>(std::move(body));
  Pid pid = caf::actor_cast<ProcessActor*>(handle)->pid();
  const auto id = handle.id();
  bool stopped_meanwhile = false;
  {
    std::lock_guard lock(impl->mutex);
    impl->running.emplace(id, handle);
    --impl->spawning;
    stopped_meanwhile = impl->stopped;
  }
  // Attached after tracking: if the process has already ended, CAF calls this at once.
  handle->attach_functor([weak = std::weak_ptr<Runtime::Impl>(impl), id] {
    if (auto alive = weak.lock()) {
      alive->forget(id);
    }
  });
  if (stopped_meanwhile) {
    // shutdown() began while we spawned: it waits for this one too, so end it.
    send_exit(caf::actor_cast<caf::strong_actor_ptr>(handle), caf::exit_reason::kill);
  }
  return pid;
}

}  // namespace process::detail
}  // namespace dream
