#include "hook_registry.hpp"

#include <algorithm>
#include <functional>

#include "failure.hpp"
#include "step_registry.hpp"

namespace dream::cucumber::internal {

namespace {

InvokeResult run_hook(Hook& hook, const std::string& source) {
  try {
    hook.body();
    return InvokeResult::success();
  } catch (...) {
    auto result = result_of_current_exception();
    result.message = "hook at " + source + ": " + result.message;
    return result;
  }
}

// The step as an AROUND_STEP hook sees it: call() runs the next hook inward, or the step.
class Around final : public CallableStep {
 public:
  Around(const std::vector<AroundStepHook*>& hooks, std::size_t depth,
         const std::function<InvokeResult()>& step, InvokeResult& result)
      : hooks_(hooks), depth_(depth), step_(step), result_(result) {}

  void call() override {
    if (depth_ == hooks_.size()) {
      result_ = step_();
      return;
    }
    Around inner(hooks_, depth_ + 1, step_, result_);
    auto* hook = hooks_[depth_];
    auto* outer = hook->step;
    hook->step = &inner;
    try {
      hook->body();
    } catch (...) {
      hook->step = outer;
      throw;
    }
    hook->step = outer;
  }

 private:
  const std::vector<AroundStepHook*>& hooks_;
  std::size_t depth_;
  const std::function<InvokeResult()>& step_;
  InvokeResult& result_;
};

}  // namespace

HookRegistry& HookRegistry::instance() {
  static HookRegistry registry;
  return registry;
}

void HookRegistry::add(HookKind kind, const std::string& tags, Hook* hook, const char* file,
                       int line) {
  try {
    hooks_.push_back({kind, TagExpression(tags), hook, source_location(file, line)});
  } catch (const std::exception& e) {
    errors_.push_back(source_location(file, line) + ": the hook's " + e.what());
  }
}

std::vector<const HookRegistry::Entry*> HookRegistry::selected(
    HookKind kind, const std::vector<std::string>& tags) const {
  std::vector<const Entry*> found;
  for (const auto& entry : hooks_) {
    if (entry.kind == kind && entry.tags.matches(tags)) {
      found.push_back(&entry);
    }
  }
  // cucumber-cpp's order: AROUND_STEP, AFTER_STEP and AFTER hooks last-registered first
  // (the last AROUND_STEP is the outermost), the others in registration order.
  if (kind == HookKind::around_step || kind == HookKind::after_step || kind == HookKind::after) {
    std::reverse(found.begin(), found.end());
  }
  return found;
}

InvokeResult HookRegistry::run(HookKind kind, const std::vector<std::string>& tags) const {
  const bool run_all =
      kind == HookKind::after || kind == HookKind::after_all || kind == HookKind::after_step;
  InvokeResult first = InvokeResult::success();
  for (const auto* entry : selected(kind, tags)) {
    auto result = run_hook(*entry->hook, entry->source);
    if (!result.isSuccess() && first.isSuccess()) {
      first = std::move(result);
      if (!run_all) {
        break;
      }
    }
  }
  return first;
}

InvokeResult HookRegistry::run_step(const std::vector<std::string>& tags,
                                    const std::function<InvokeResult()>& step) const {
  std::vector<AroundStepHook*> around;
  for (const auto* entry : selected(HookKind::around_step, tags)) {
    around.push_back(static_cast<AroundStepHook*>(entry->hook));
  }
  InvokeResult result = InvokeResult::success();
  try {
    Around(around, 0, step, result).call();
  } catch (...) {
    auto failure = result_of_current_exception();
    failure.message = "AROUND_STEP hook: " + failure.message;
    if (result.isSuccess()) {
      result = std::move(failure);
    }
  }
  auto after = run(HookKind::after_step, tags);
  return result.isSuccess() ? after : result;
}

int register_hook(HookKind kind, const std::string& tags, Hook* hook, const char* file, int line) {
  HookRegistry::instance().add(kind, tags, hook, file, line);
  return 0;
}

}  // namespace dream::cucumber::internal
