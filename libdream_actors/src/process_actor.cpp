#include "process_actor.hpp"

#include <exception>
#include <string>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>

#include "envelope_caf.hpp"
#include "log.hpp"
#include "tsan.hpp"

namespace dream::process::detail {
namespace {

thread_local ProcessActor* current_process = nullptr;

/// Makes `process` current for the duration of one handler call, nesting safely.
class CurrentScope {
 public:
  explicit CurrentScope(ProcessActor* process) noexcept : previous_(current_process) {
    current_process = process;
  }
  ~CurrentScope() { current_process = previous_; }
  CurrentScope(const CurrentScope&) = delete;
  CurrentScope& operator=(const CurrentScope&) = delete;

 private:
  ProcessActor* previous_;
};

}  // namespace

ProcessActor::ProcessActor(caf::actor_config& config, std::unique_ptr<ProcessBody> body)
    : caf::event_based_actor(config),
      body_(std::move(body)),
      cell_(std::make_shared<ProcessCell>(address(), next_process_id())) {
  // Construction (on the spawning thread) happens-before the first resume.
  dream::detail::tsan_release(ctrl());
}

ProcessActor::~ProcessActor() {
  // The last handler may have run on another thread; its writes happen-before this.
  dream::detail::tsan_acquire(ctrl());
}

ProcessActor* ProcessActor::current() noexcept {
  return current_process;
}

caf::resumable::resume_result ProcessActor::resume(caf::execution_unit* unit,
                                                   size_t max_throughput) {
  // Everything CAF and we do with this actor and its messages during one run happens after
  // every send to it and after its previous run, whichever thread those were on.
  dream::detail::tsan_acquire(ctrl());
  auto result = caf::event_based_actor::resume(unit, max_throughput);
  dream::detail::tsan_release(ctrl());
  return result;
}

bool ProcessActor::cleanup(caf::error&& reason, caf::execution_unit* unit) {
  // Cleanup drops the messages still queued, some sent while the last run was under way.
  dream::detail::tsan_acquire(ctrl());
  if (body_ != nullptr) {
    // Ours first, in this order: sends fail from now on; the body's last word (on_exit) and
    // the user's state are done here, on this process's thread; the monitors this process
    // held are released; the Downs go out. Only then does CAF's cleanup tell the Runtime the
    // process is gone, so whoever waits for that (Runtime::shutdown) finds no user code of it still
    // running.
    cell_->alive.store(false, std::memory_order_release);
    {
      CurrentScope scope(this);
      try {
        body_->on_exit();
      } catch (const std::exception& e) {
        dream::detail::log_error("process {}: on_exit threw: {}", cell_->id, e.what());
      } catch (...) {
        dream::detail::log_error("process {}: on_exit threw", cell_->id);
      }
    }
    body_.reset();
    monitors_.release_all(pid());
    const bool normal = !reason || reason == caf::exit_reason::normal;
    announce_end(*cell_, pid(), normal, normal ? "normal" : system().render(reason));
  }
  return caf::event_based_actor::cleanup(std::move(reason), unit);
}

caf::invoke_message_result ProcessActor::consume(caf::mailbox_element& element) {
  // A message may arrive while a run is under way: its send happens-before its handling.
  dream::detail::tsan_acquire(ctrl());
  return caf::event_based_actor::consume(element);
}

template <class F>
bool ProcessActor::run(F&& handler) {
  Step step = Step::proceed;
  bool crashed = false;
  {
    CurrentScope scope(this);
    try {
      step = handler();
    } catch (const std::exception& e) {
      dream::detail::log_error("process {} crashed: {}", cell_->id, e.what());
      crashed = true;
    } catch (...) {
      dream::detail::log_error("process {} crashed: an exception not derived from std::exception",
                               cell_->id);
      crashed = true;
    }
  }
  // The handler's writes happen-before the next run, wherever it runs. Releasing only when
  // resume() returns is too late: CAF may mark the actor idle, and another thread pick it up
  // for the next message (or its cleanup), before this thread has left resume().
  dream::detail::tsan_release(ctrl());
  if (crashed) {
    quit(caf::exit_reason::unhandled_exception);
    return false;
  }
  if (step == Step::stop) {
    quit();
    return false;
  }
  return true;
}

caf::behavior ProcessActor::make_behavior() {
  set_default_handler(caf::drop);
  if (!run([&] { return body_->init(); })) {
    return {};
  }
  caf::behavior behavior{
      [this](Envelope& envelope) {
        if (envelope.batch) {
          const auto& batch = *static_cast<const Batch*>(envelope.payload.get());
          for (const auto& payload : batch.payloads) {
            if (!run([&] { return body_->on_message(envelope.tag, payload); })) {
              return;  // the process has ended: the rest is dropped, as queued messages are
            }
          }
          return;
        }
        if (envelope.tag != down_tag) {
          run([&] { return body_->on_message(envelope.tag, std::move(envelope.payload)); });
          return;
        }
        const auto& down = *static_cast<const Down*>(envelope.payload.get());
        if (monitors_.take(down)) {
          run([&] { return body_->on_down(down); });
        }
      },
  };
  // The behavior is built here and used by the next run, maybe on another thread (see run()).
  dream::detail::tsan_release(ctrl());
  return behavior;
}

}  // namespace dream::process::detail
