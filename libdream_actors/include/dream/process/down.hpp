#pragma once

#include <string>

#include "dream/process/pid.hpp"

namespace dream::process {

/// Delivered to a process that monitors `pid` when that process ends, exactly once per monitor.
/// `normal` is true when it stopped by itself; otherwise `reason` says why (killed, crashed...).
struct Down {
  Pid pid;
  bool normal = false;
  std::string reason;
};

}  // namespace dream::process
