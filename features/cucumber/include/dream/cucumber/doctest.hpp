#pragma once

// Step definitions with doctest assertions (link dream::cucumber_doctest, which holds
// doctest's implementation: do not define DOCTEST_CONFIG_IMPLEMENT yourself). CHECK and
// friends that fail mark the step failed and the step goes on; REQUIRE stops it. Cucumber
// shows each failed assertion's expression, values and file:line.
#include <doctest/doctest.h>

#include "dream/cucumber/defs.hpp"

namespace dream::cucumber::internal {

/// The doctest driver: collects the body's failed assertions into the step's result.
class DoctestStep : public BasicStep {
 protected:
  InvokeResult invokeStepBody() override;
};

}  // namespace dream::cucumber::internal

#ifndef STEP_INHERITANCE
#define STEP_INHERITANCE(step_name) ::dream::cucumber::internal::DoctestStep
#endif
