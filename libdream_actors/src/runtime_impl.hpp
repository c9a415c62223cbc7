#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "dream/runtime.hpp"

namespace dream {

/// The runtime's books: the system, and a strong handle on every running process, because a
/// CAF actor nobody references is destroyed, while an Erlang process lives until it ends.
struct Runtime::Impl {
  std::unique_ptr<caf::actor_system_config> config;  // set when the system is owned
  std::unique_ptr<caf::actor_system> owned;
  caf::actor_system* system = nullptr;

  mutable std::mutex mutex;
  std::condition_variable all_ended;
  std::unordered_map<caf::actor_id, caf::actor> running;
  std::size_t spawning = 0;  // spawns between their check of `stopped` and their tracking
  bool stopped = false;

  /// Called by each process as it ends.
  void forget(caf::actor_id id);
};

}  // namespace dream
