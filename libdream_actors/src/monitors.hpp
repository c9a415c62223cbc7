#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>

#include "dream/process/down.hpp"

namespace dream::process::detail {

/// The monitors one process holds, so a Down that arrives after demonitor() is dropped.
class Monitors {
 public:
  /// Monitors `target` on behalf of `self`.
  void add(const Pid& self, const Pid& target);
  /// Removes every monitor of `self` on `target`.
  void remove(const Pid& self, const Pid& target);
  /// True (and the monitor used up) if `down` answers a monitor still held.
  bool take(const Down& down);
  /// Removes every monitor still held, when `self` ends, so no target keeps a stale watcher.
  void release_all(const Pid& self);

 private:
  struct Held {
    Pid target;
    std::size_t count;
  };
  std::unordered_map<std::uint64_t, Held> held_;  // target id -> monitors on it
};

}  // namespace dream::process::detail
