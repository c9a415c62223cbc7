#pragma once

#include <cstddef>
#include <memory>

namespace caf {
class actor_system;
}

namespace dream {

/// How a Runtime builds the actor system it owns (a borrowed system keeps its own settings).
struct RuntimeConfig {
  /// Threads of CAF's scheduler; 0 means one per hardware thread.
  std::size_t scheduler_threads = 0;
};

/// Where processes run: owns a caf::actor_system, or borrows one the embedding service owns.
/// Destroying it (or shutdown()) ends every process it started and waits until each has ended
/// and its state is destroyed. Destroy it from the thread that owns it, never inside a process.
class Runtime {
 public:
  /// Owns a new actor system built from `config`.
  explicit Runtime(RuntimeConfig config = {});
  /// Borrows `system`, which must outlive this Runtime; only our own processes are stopped.
  explicit Runtime(caf::actor_system& system);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// The actor system processes run on.
  caf::actor_system& system() const noexcept;

  /// How many processes started through this runtime are still running (Inboxes count too).
  std::size_t process_count() const;

  /// Kills every running process started here and waits until each has ended and its state is
  /// destroyed; afterwards no process starts. Idempotent; the destructor calls it. Throws
  /// std::logic_error inside a process, which would wait for itself.
  void shutdown();

  /// @private
  struct Impl;
  /// @private
  const std::shared_ptr<Impl>& impl() const noexcept { return impl_; }

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace dream
