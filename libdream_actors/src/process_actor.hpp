#pragma once

#include <memory>

#include <caf/event_based_actor.hpp>

#include "dream/process/detail/process_body.hpp"
#include "dream/process/pid.hpp"
#include "monitors.hpp"
#include "process_cell.hpp"

namespace dream::process::detail {

/// The CAF actor under every process: it runs a ProcessBody one message at a time, makes the
/// process "current" on its thread while it does, and turns an escaping exception into a
/// logged crash of this process only.
class ProcessActor final : public caf::event_based_actor {
 public:
  ProcessActor(caf::actor_config& config, std::unique_ptr<ProcessBody> body);
  ~ProcessActor() override;

  const char* name() const override { return "dream.process"; }
  caf::behavior make_behavior() override;
  resume_result resume(caf::execution_unit* unit, size_t max_throughput) override;
  using caf::event_based_actor::consume;
  caf::invoke_message_result consume(caf::mailbox_element& element) override;
  bool cleanup(caf::error&& reason, caf::execution_unit* unit) override;

  /// The process running a handler on this thread, or nullptr.
  static ProcessActor* current() noexcept;

  Pid pid() const { return Pid(cell_); }
  const std::shared_ptr<ProcessCell>& cell() const noexcept { return cell_; }
  void monitor_pid(const Pid& target) { monitors_.add(pid(), target); }
  void demonitor_pid(const Pid& target) { monitors_.remove(pid(), target); }

 private:
  /// Runs one handler call; false once the process is ending.
  template <class F>
  bool run(F&& handler);

  std::unique_ptr<ProcessBody> body_;
  std::shared_ptr<ProcessCell> cell_;
  Monitors monitors_;
};

}  // namespace dream::process::detail
