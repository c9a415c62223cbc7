#include "scenario_contexts.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <utility>
#include <vector>

#include "dream/cucumber/scenario_scope.hpp"

namespace dream::cucumber::internal {

namespace {

// The wire server runs every step and hook on one thread, one at a time, so one store serves.
struct Store {
  bool open = false;
  std::vector<std::pair<std::type_index, std::shared_ptr<void>>> contexts;
};

Store& store() {
  static Store s;
  return s;
}

}  // namespace

std::shared_ptr<void> scenario_context(std::type_index type,
                                       const std::function<std::shared_ptr<void>()>& make) {
  auto& s = store();
  if (!s.open) {
    throw std::logic_error(std::string("ScenarioScope<") + type.name() +
                           "> used outside a scenario (e.g. in BEFORE_ALL or AFTER_ALL)");
  }
  for (const auto& [t, context] : s.contexts) {
    if (t == type) {
      return context;
    }
  }
  s.contexts.emplace_back(type, make());
  return s.contexts.back().second;
}

void begin_scenario_contexts() {
  end_scenario_contexts();
  store().open = true;
}

void end_scenario_contexts() {
  auto& s = store();
  s.open = false;
  while (!s.contexts.empty()) {
    s.contexts.pop_back();
  }
}

}  // namespace dream::cucumber::internal
