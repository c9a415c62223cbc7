#pragma once

// Step definitions without a test framework: a step fails only by throwing.
#include "dream/cucumber/defs.hpp"

namespace dream::cucumber::internal {

/// The generic driver: runs the body; an exception it throws fails the step.
class GenericStep : public BasicStep {
 protected:
  InvokeResult invokeStepBody() override {
    body();
    return InvokeResult::success();
  }
};

}  // namespace dream::cucumber::internal

#ifndef STEP_INHERITANCE
#define STEP_INHERITANCE(step_name) ::dream::cucumber::internal::GenericStep
#endif
