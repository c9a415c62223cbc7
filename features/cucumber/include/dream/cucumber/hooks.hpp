#pragma once

#include <string>
#include <vector>

namespace dream::cucumber {

/// A cucumber-cpp tag expression: each quoted term must hold (AND); inside a term,
/// comma-separated tags are alternatives (OR); `~@tag` negates. Empty: every scenario.
/// E.g. `"@a,@b", "~@slow"` means (a or b) and not slow.
class TagExpression {
 public:
  /// Parses the text the hook macros give (the macro arguments, stringised); throws
  /// std::invalid_argument on a term that is not a @tag.
  explicit TagExpression(const std::string& source);
  /// True when a scenario with these tags (without '@') is selected.
  bool matches(const std::vector<std::string>& tags) const;

 private:
  struct Tag {
    std::string name;
    bool negated = false;
  };
  std::vector<std::vector<Tag>> all_of_any_of_;
};

namespace internal {

/// The base of every hook; body() is the user's code after BEFORE(...) etc.
class Hook {
 public:
  virtual ~Hook() = default;
  virtual void body() = 0;
};

class BeforeHook : public Hook {};
class AfterHook : public Hook {};
class AfterStepHook : public Hook {};
class BeforeAllHook : public Hook {};
class AfterAllHook : public Hook {};

/// What an AROUND_STEP hook wraps: `step->call()` runs the step (and any inner hooks).
class CallableStep {
 public:
  virtual ~CallableStep() = default;
  virtual void call() = 0;
};

class AroundStepHook : public Hook {
 public:
  CallableStep* step = nullptr;  // set before body() runs
};

enum class HookKind { before, around_step, after_step, after, before_all, after_all };

/// Records a hook of `kind` selected by `tags` (ignored for the *_ALL kinds). A bad tag
/// expression is recorded like a bad step regex: the runner refuses to start.
int register_hook(HookKind kind, const std::string& tags, Hook* hook, const char* file, int line);

template <class H>
int registerHook(HookKind kind, const std::string& tags, const char* file, int line) {
  static H hook;  // hooks hold no per-run state of their own
  return register_hook(kind, tags, &hook, file, line);
}

}  // namespace internal
}  // namespace dream::cucumber
