#include "monitors.hpp"

#include <memory>
#include <stdexcept>
#include <utility>

#include "delivery.hpp"
#include "process_cell.hpp"

namespace dream::process::detail {

namespace {
void send_down(const Pid& watcher, Down down) {
  // A watcher that has ended needs no Down: ignore owner_gone.
  (void)deliver(watcher, down_tag, std::make_shared<Down>(std::move(down)));
}
}  // namespace

void watch(const Pid& target, const Pid& watcher) {
  auto& cell = *target.cell();
  Down down{target, false, {}};
  {
    std::lock_guard lock(cell.mutex);
    if (!cell.ended) {
      cell.watchers.push_back(watcher);
      return;
    }
    down.normal = cell.ended_normally;
    down.reason = cell.end_reason;
  }
  // Erlang's rule: monitoring a process that has ended gives a Down at once.
  send_down(watcher, std::move(down));
}

void unwatch(ProcessCell& target, const Pid& watcher) {
  std::lock_guard lock(target.mutex);
  std::erase(target.watchers, watcher);
}

void announce_end(ProcessCell& cell, const Pid& self, bool normal, std::string reason) {
  std::vector<Pid> watchers;
  {
    std::lock_guard lock(cell.mutex);
    if (cell.ended) {
      return;
    }
    cell.ended = true;
    cell.ended_normally = normal;
    cell.end_reason = reason;
    watchers.swap(cell.watchers);
  }
  for (const auto& watcher : watchers) {
    send_down(watcher, Down{self, normal, reason});
  }
}

void Monitors::add(const Pid& self, const Pid& target) {
  if (!target.cell()) {
    throw std::invalid_argument("monitor: this Pid names no process");
  }
  auto [it, inserted] = held_.try_emplace(target.id(), Held{target, 0});
  ++it->second.count;
  watch(target, self);
}

void Monitors::remove(const Pid& self, const Pid& target) {
  if (target.cell() && held_.erase(target.id()) > 0) {
    unwatch(*target.cell(), self);
  }
}

bool Monitors::take(const Down& down) {
  auto it = held_.find(down.pid.id());
  if (it == held_.end()) {
    return false;
  }
  if (--it->second.count == 0) {
    held_.erase(it);
  }
  return true;
}

void Monitors::release_all(const Pid& self) {
  for (const auto& [id, held] : held_) {
    unwatch(*held.target.cell(), self);
  }
  held_.clear();
}

}  // namespace dream::process::detail
