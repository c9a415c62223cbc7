#pragma once

#include <functional>
#include <string>
#include <vector>

#include "dream/cucumber/hooks.hpp"
#include "dream/cucumber/step.hpp"

namespace dream::cucumber::internal {

/// Every hook linked into the program, by kind, in registration order.
class HookRegistry {
 public:
  static HookRegistry& instance();

  /// Adds a hook; a tag expression that does not parse is recorded in errors() instead.
  void add(HookKind kind, const std::string& tags, Hook* hook, const char* file, int line);
  const std::vector<std::string>& errors() const noexcept { return errors_; }

  /// Runs every hook of `kind` selected by `tags`, in cucumber-cpp's order (AFTER and
  /// AFTER_STEP hooks last-registered first, the others in registration order). AFTER,
  /// AFTER_STEP and AFTER_ALL hooks all run even when one fails; the others stop at the first
  /// failure. The result is the first failure, naming the hook.
  InvokeResult run(HookKind kind, const std::vector<std::string>& tags) const;

  /// Runs `step` inside every selected AROUND_STEP hook (the last registered outermost, as
  /// in cucumber-cpp), then the AFTER_STEP hooks. The step's own result wins over a hook's.
  InvokeResult run_step(const std::vector<std::string>& tags,
                        const std::function<InvokeResult()>& step) const;

 private:
  struct Entry {
    HookKind kind;
    TagExpression tags;
    Hook* hook;
    std::string source;
  };
  std::vector<const Entry*> selected(HookKind kind, const std::vector<std::string>& tags) const;

  std::vector<Entry> hooks_;
  std::vector<std::string> errors_;
};

}  // namespace dream::cucumber::internal
