#pragma once

namespace dream::cucumber::internal {

/// Opens the scenario whose ScenarioScope objects are made from now on.
void begin_scenario_contexts();
/// Destroys the scenario's context objects, the last made first, and closes it.
void end_scenario_contexts();

}  // namespace dream::cucumber::internal
