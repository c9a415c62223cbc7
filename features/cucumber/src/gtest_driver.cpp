#include <gtest/gtest-spi.h>

#include <optional>
#include <string>

#include "dream/cucumber/gtest.hpp"
#include "failure.hpp"

namespace dream::cucumber::internal {

namespace {

// Outside a step (in a hook), a failed assertion throws, as cucumber-cpp has GoogleTest do, so
// the hook fails with its message; inside a step the results are intercepted instead.
[[maybe_unused]] const bool throw_outside_steps = [] {
  GTEST_FLAG_SET(throw_on_failure, true);
  return true;
}();

}  // namespace

InvokeResult GTestStep::invokeStepBody() {
  testing::TestPartResultArray results;
  std::optional<InvokeResult> thrown;
  GTEST_FLAG_SET(throw_on_failure, false);
  {
    // Intercepts every EXPECT_/ASSERT_ of the body, on any thread, instead of gtest's
    // reporter; a failed ASSERT_ returns from body() as it returns from a TEST.
    testing::ScopedFakeTestPartResultReporter reporter(
        testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS, &results);
    try {
      body();
    } catch (...) {
      thrown = result_of_current_exception();
    }
  }
  GTEST_FLAG_SET(throw_on_failure, true);
  std::string message;
  for (int i = 0; i < results.size(); ++i) {
    const auto& part = results.GetTestPartResult(i);
    if (!part.failed()) {
      continue;
    }
    message += message.empty() ? "" : "\n";
    message += part.message();
    message += "\n  at " + std::string(part.file_name() ? part.file_name() : "unknown") + ":" +
               std::to_string(part.line_number());
  }
  if (message.empty()) {
    return thrown ? *thrown : InvokeResult::success();
  }
  if (thrown) {  // the failed assertions first, then what ended the step
    return InvokeResult::failure(message + "\nthen the step threw: " + thrown->message,
                                 thrown->exception);
  }
  return InvokeResult::failure(message, "GoogleTest assertion");
}

}  // namespace dream::cucumber::internal
