#pragma once

#include <cstdint>
#include <memory>

#include "dream/process/down.hpp"
#include "dream/process/pid.hpp"

namespace dream {
class Runtime;
}

namespace dream::process::detail {

/// What a body wants after handling one message.
enum class Step { proceed, stop };

/// The typed part of a process, behind a small virtual interface so the CAF actor that runs
/// it is compiled once, in the library. Every call runs inside the process, one at a time.
class ProcessBody {
 public:
  virtual ~ProcessBody() = default;
  /// First call, inside the new process.
  virtual Step init() = 0;
  /// A message sent to subject `tag` of this process; the body may keep the payload.
  virtual Step on_message(std::uint64_t tag, std::shared_ptr<const void> payload) = 0;
  /// A process this one monitors has ended.
  virtual Step on_down(const Down& down) = 0;
  /// Last call, however the process ends (stop, crash, kill), still inside the process; then
  /// the body is destroyed. An exception thrown here is logged and dropped.
  virtual void on_exit() {}
};

/// Starts a process running `body` under `runtime`; a default Pid if the runtime is shut down.
Pid spawn(Runtime& runtime, std::unique_ptr<ProcessBody> body);

}  // namespace dream::process::detail
