#pragma once

#include <optional>
#include <unordered_map>

#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>
#include <caf/system_messages.hpp>

#include "dream/process/down.hpp"

namespace dream::process::detail {

/// The monitors one process (or Inbox) holds, so that CAF's down_msg, which names an actor
/// address, can be handed on as a Down naming the Pid that was monitored.
class Monitors {
 public:
  /// Monitors `pid` from `self`; a pid that has already ended gets its Down at once.
  void add(caf::local_actor& self, const Pid& pid);
  /// Removes every monitor of `self` on `pid`.
  void remove(caf::local_actor& self, const Pid& pid);
  /// The Down for `msg`, or nothing if it is for no monitor made here (already removed).
  std::optional<Down> take(const caf::down_msg& msg, caf::actor_system& system);

 private:
  std::unordered_multimap<caf::actor_id, Pid> watched_;
};

}  // namespace dream::process::detail
