#pragma once

#include <atomic>
#include <cstdint>

#include <caf/actor_addr.hpp>

namespace dream::process::detail {

/// The one record every process has: its CAF address (weak) and whether it still runs.
/// `alive` turns false before any monitor hears of the end, so a send after a Down fails.
struct ProcessCell {
  ProcessCell(caf::actor_addr addr, std::uint64_t pid_id) : address(std::move(addr)), id(pid_id) {}
  caf::actor_addr address;
  std::uint64_t id;
  std::atomic<bool> alive{true};
};

}  // namespace dream::process::detail
