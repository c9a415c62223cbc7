#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "dream/cucumber/step.hpp"

namespace dream::cucumber::internal {

/// One registered step definition.
struct StepDefinition {
  int id = 0;
  std::string pattern;  // the regular expression as written
  std::regex regex;
  std::string source;  // file:line of the GIVEN/WHEN/THEN
  StepFactory make;
};

/// A capture of a match: its text and where it starts in the step's text, counted in
/// characters (code points), as cucumber-ruby indexes its strings. Empty when the group
/// did not take part in the match.
struct StepArgument {
  std::optional<std::string> value;
  std::optional<std::size_t> position;
};

struct StepMatch {
  const StepDefinition* step = nullptr;
  std::vector<StepArgument> arguments;
};

/// Every step definition linked into the program, registered before main runs.
class StepRegistry {
 public:
  static StepRegistry& instance();

  /// Adds a definition; a regex that does not compile is recorded in errors() instead.
  int add(const std::string& pattern, const char* file, int line, StepFactory make);
  /// What could not be registered, one line each (bad regular expressions).
  const std::vector<std::string>& errors() const noexcept { return errors_; }
  /// Every definition whose regex is found in `text` (more than one: ambiguous; cucumber
  /// says so).
  std::vector<StepMatch> match(const std::string& text) const;
  /// The definition with `id`, or null.
  const StepDefinition* find(int id) const;

 private:
  std::vector<StepDefinition> steps_;
  std::vector<std::string> errors_;
};

/// "file:line" for a definition's source location.
std::string source_location(const char* file, int line);

}  // namespace dream::cucumber::internal
