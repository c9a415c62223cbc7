#include "step_registry.hpp"

namespace dream::cucumber::internal {

namespace {

// Ruby counts string offsets in characters; a UTF-8 byte that is not a continuation byte
// starts one.
std::size_t characters_before(const std::string& text, std::size_t bytes) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < bytes && i < text.size(); ++i) {
    count += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  }
  return count;
}

}  // namespace

StepRegistry& StepRegistry::instance() {
  static StepRegistry registry;
  return registry;
}

std::string source_location(const char* file, int line) {
  return std::string(file) + ":" + std::to_string(line);
}

int StepRegistry::add(const std::string& pattern, const char* file, int line, StepFactory make) {
  StepDefinition step;
  step.id = static_cast<int>(steps_.size()) + 1;
  step.pattern = pattern;
  step.source = source_location(file, line);
  step.make = std::move(make);
  try {
    step.regex = std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    errors_.push_back(step.source + ": the step's regular expression /" + pattern +
                      "/ does not compile: " + e.what());
    return 0;
  }
  steps_.push_back(std::move(step));
  return steps_.back().id;
}

std::vector<StepMatch> StepRegistry::match(const std::string& text) const {
  std::vector<StepMatch> matches;
  for (const auto& step : steps_) {
    std::smatch found;
    if (!std::regex_search(text, found, step.regex)) {
      continue;
    }
    StepMatch match{&step, {}};
    for (std::size_t group = 1; group < found.size(); ++group) {
      if (!found[group].matched) {
        match.arguments.push_back({});
        continue;
      }
      const auto bytes = static_cast<std::size_t>(found.position(group));
      match.arguments.push_back({found[group].str(), characters_before(text, bytes)});
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

const StepDefinition* StepRegistry::find(int id) const {
  if (id < 1 || id > static_cast<int>(steps_.size())) {
    return nullptr;
  }
  return &steps_[static_cast<std::size_t>(id) - 1];
}

int register_step(const std::string& regex, const char* file, int line, StepFactory make) {
  return StepRegistry::instance().add(regex, file, line, std::move(make));
}

}  // namespace dream::cucumber::internal
