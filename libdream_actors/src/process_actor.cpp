#include "process_actor.hpp"

#include <exception>

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
      cell_(std::make_shared<ProcessCell>(address(), id())) {}

ProcessActor::~ProcessActor() {
  // The last handler may have run on another thread; its writes happen-before this.
  dream::detail::tsan_acquire(ctrl());
}

ProcessActor* ProcessActor::current() noexcept { return current_process; }

void ProcessActor::on_cleanup(const caf::error& reason) {
  // Runs before CAF sends any Down, so a send that follows a Down sees owner_gone.
  cell_->alive.store(false, std::memory_order_release);
  caf::event_based_actor::on_cleanup(reason);
}

template <class F>
bool ProcessActor::run(F&& handler) {
  dream::detail::tsan_acquire(ctrl());
  Step step = Step::proceed;
  bool crashed = false;
  {
    CurrentScope scope(this);
    try {
      step = handler();
    } catch (const std::exception& e) {
      dream::detail::log_error("process {} crashed: {}", id(), e.what());
      crashed = true;
    } catch (...) {
      dream::detail::log_error("process {} crashed: an exception not derived from std::exception",
                               id());
      crashed = true;
    }
  }
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
  set_down_handler([this](caf::down_msg& msg) {
    if (auto down = monitors_.take(msg, system())) {
      run([&] { return body_->on_down(*down); });
    }
  });
  if (!run([&] { return body_->init(); })) {
    return {};
  }
  return {
      [this](const Envelope& envelope) {
        run([&] { return body_->on_message(envelope.tag, envelope.payload); });
      },
  };
}

}  // namespace dream::process::detail
