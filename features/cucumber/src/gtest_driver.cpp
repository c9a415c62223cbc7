#include <gtest/gtest-spi.h>

#include <string>

#include "dream/cucumber/gtest.hpp"

namespace dream::cucumber::internal {

InvokeResult GTestStep::invokeStepBody() {
  testing::TestPartResultArray results;
  {
    // Intercepts every EXPECT_/ASSERT_ of the body, on any thread, instead of gtest's
    // reporter; a failed ASSERT_ returns from body() as it returns from a TEST.
    testing::ScopedFakeTestPartResultReporter reporter(
        testing::ScopedFakeTestPartResultReporter::INTERCEPT_ALL_THREADS, &results);
    body();
  }
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
    return InvokeResult::success();
  }
  return InvokeResult::failure(message, "GoogleTest assertion");
}

}  // namespace dream::cucumber::internal
