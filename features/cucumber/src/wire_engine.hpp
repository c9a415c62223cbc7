#pragma once

#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "dream/cucumber/step.hpp"

namespace dream::cucumber::internal {

/// Cucumber's wire protocol over the registered steps and hooks, one request at a time:
/// step_matches, begin_scenario, invoke, end_scenario, snippet_text (and diff_ok/failed).
/// Holds the run's state: whether BEFORE_ALL ran, the current scenario and its tags.
class WireEngine {
 public:
  /// The response to one request line (a JSON array); bad JSON or an unknown message get
  /// ["fail", {...}] saying so, and count as protocol errors.
  boost::json::array handle_line(const std::string& line);
  /// The response to one parsed request.
  boost::json::array handle(const boost::json::value& request);

  /// True between begin_scenario and end_scenario.
  bool in_scenario() const noexcept { return in_scenario_; }
  std::size_t protocol_errors() const noexcept { return protocol_errors_; }

  /// Cucumber went away: ends a scenario left open (AFTER hooks, contexts destroyed) and runs
  /// AFTER_ALL if BEFORE_ALL ran. Returns the first failure.
  InvokeResult finish();

 private:
  boost::json::array step_matches(const boost::json::object& params);
  boost::json::array begin_scenario(const boost::json::value* params);
  boost::json::array invoke(const boost::json::object& params);
  boost::json::array end_scenario();
  InvokeResult close_scenario();

  bool before_all_ran_ = false;
  InvokeResult before_all_;  // what BEFORE_ALL gave: every scenario fails if it failed
  bool in_scenario_ = false;
  std::vector<std::string> tags_;
  std::size_t protocol_errors_ = 0;
};

}  // namespace dream::cucumber::internal
