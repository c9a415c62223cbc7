#pragma once

// Step definitions with GoogleTest assertions, as cucumber-cpp's GTest driver has them (link
// dream::cucumber_gtest). A failed EXPECT_* marks the step failed and the step goes on; a
// failed ASSERT_* returns from the body. Cucumber shows every failure's message and file:line.
#include <gtest/gtest.h>

#include "dream/cucumber/defs.hpp"

namespace dream::cucumber::internal {

/// The GoogleTest driver: intercepts the body's test-part results into the step's result.
class GTestStep : public BasicStep {
 protected:
  InvokeResult invokeStepBody() override;
};

}  // namespace dream::cucumber::internal

#ifndef STEP_INHERITANCE
#define STEP_INHERITANCE(step_name) ::dream::cucumber::internal::GTestStep
#endif
