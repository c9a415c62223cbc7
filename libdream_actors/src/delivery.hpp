#pragma once

#include <cstdint>
#include <memory>

#include <caf/actor_control_block.hpp>
#include <caf/exit_reason.hpp>

#include "dream/process/pid.hpp"
#include "dream/process/subject.hpp"

namespace dream::process::detail {

/// A strong CAF reference to `pid`'s actor while it runs; null once it has ended.
caf::strong_actor_ptr resolve(const Pid& pid);

/// Puts Envelope{tag, payload} in `target`'s mailbox, no questions asked: the fan-out path
/// of the broadcaster, which holds resolved references.
void enqueue(const caf::strong_actor_ptr& target, std::uint64_t tag,
             std::shared_ptr<const void> payload, bool batch = false);

/// Sends `target` an exit signal with `reason` (kill cannot be trapped).
void send_exit(const caf::strong_actor_ptr& target, caf::exit_reason reason);

}  // namespace dream::process::detail
