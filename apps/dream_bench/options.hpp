#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dream_bench {

/// The command line: a scenario name, then `--name value` pairs. Every getter names the flag
/// when its value is missing or malformed (std::invalid_argument).
class Options {
 public:
  Options(int argc, char** argv);

  const std::string& scenario() const noexcept { return scenario_; }
  std::uint64_t number(const std::string& name) const;
  std::uint64_t number(const std::string& name, std::uint64_t fallback) const;
  std::string text(const std::string& name, const std::string& fallback) const;
  /// A comma-separated list ("" gives an empty list).
  std::vector<std::string> list(const std::string& name) const;
  /// Flags given but never read: misspellings, reported as errors.
  std::vector<std::string> unused() const;

 private:
  std::string scenario_;
  std::map<std::string, std::string> values_;
  mutable std::map<std::string, bool> read_;
};

}  // namespace dream_bench
