#include "monitors.hpp"

#include <stdexcept>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message.hpp>

#include "process_cell.hpp"

namespace dream::process::detail {

void Monitors::add(caf::local_actor& self, const Pid& pid) {
  const auto& cell = pid.cell();
  if (!cell) {
    throw std::invalid_argument("monitor: this Pid names no process");
  }
  watched_.emplace(cell->id, pid);
  if (auto target = caf::actor_cast<caf::strong_actor_ptr>(cell->address)) {
    // CAF answers at once with a down_msg if the target has already ended.
    self.monitor(target);
  } else {
    self.ctrl()->enqueue(nullptr, caf::make_message_id(),
                         caf::make_message(caf::down_msg{cell->address, caf::exit_reason::unknown}),
                         nullptr);
  }
}

void Monitors::remove(caf::local_actor& self, const Pid& pid) {
  const auto& cell = pid.cell();
  if (!cell) {
    return;
  }
  if (watched_.erase(cell->id) > 0) {
    self.demonitor(cell->address);
  }
}

std::optional<Down> Monitors::take(const caf::down_msg& msg, caf::actor_system& system) {
  auto it = watched_.find(msg.source.id());
  if (it == watched_.end()) {
    return std::nullopt;
  }
  Down down{it->second, !msg.reason || msg.reason == caf::exit_reason::normal,
            msg.reason ? system.render(msg.reason) : std::string("normal")};
  watched_.erase(it);
  return down;
}

}  // namespace dream::process::detail
