#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor_addr.hpp>

#include "dream/process/pid.hpp"

namespace dream::process::detail {

/// The one record every process has: its CAF address (weak), whether it still runs, and who
/// monitors it. `alive` turns false before any monitor hears of the end, so a send that
/// follows a Down fails with owner_gone.
struct ProcessCell {
  ProcessCell(caf::actor_addr addr, std::uint64_t pid_id) : address(std::move(addr)), id(pid_id) {}

  const caf::actor_addr address;
  const std::uint64_t id;
  std::atomic<bool> alive{true};

  std::mutex mutex;    // guards what follows
  bool ended = false;  // set once, when the process ends
  bool ended_normally = false;
  std::string end_reason;
  std::vector<Pid> watchers;  // one entry per monitor
};

/// A process id no other process of this program has had (CAF's ids repeat across systems).
std::uint64_t next_process_id() noexcept;

/// The tag of the Down envelopes a process gets from those it monitors (no subject has it).
inline constexpr std::uint64_t down_tag = 0;

/// Adds `watcher` as a monitor of `target`; if `target` has ended, sends the Down at once.
void watch(const Pid& target, const Pid& watcher);
/// Removes every monitor `watcher` holds on `target`.
void unwatch(ProcessCell& target, const Pid& watcher);
/// Marks `cell`'s process ended and sends one Down per monitor.
void announce_end(ProcessCell& cell, const Pid& self, bool normal, std::string reason);

}  // namespace dream::process::detail
