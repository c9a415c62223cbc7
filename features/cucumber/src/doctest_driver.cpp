// doctest's implementation lives here, so step files only include <doctest/doctest.h>; its
// assertions run outside any doctest test case, reported through an assert handler.
#define DOCTEST_CONFIG_IMPLEMENT
#include "dream/cucumber/doctest.hpp"

#include <string>
#include <vector>

namespace dream::cucumber::internal {

namespace {

// The failures of the step running on this thread; null outside a step (a hook), where a
// failed assertion throws at once so the hook fails.
thread_local std::vector<std::string>* failures = nullptr;

class AssertionFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string describe(const doctest::AssertData& data) {
  std::string text = std::string(doctest::assertString(data.m_at)) + "( " + data.m_expr + " )";
  if (data.m_threw) {
    text += " threw " + std::string(data.m_exception.c_str());
  } else if (data.m_decomp.size() > 0) {
    text += " is NOT correct!\n  values: " + std::string(doctest::assertString(data.m_at)) +
            "( " + data.m_decomp.c_str() + " )";
  } else {
    text += " failed";
  }
  return text + "\n  at " + data.m_file + ":" + std::to_string(data.m_line);
}

void on_failed_assert(const doctest::AssertData& data) {
  if (failures == nullptr) {
    throw AssertionFailed(describe(data));
  }
  failures->push_back(describe(data));
  // A REQUIRE goes on to throw doctest's TestFailureException, which ends the body.
}

// The context doctest reports out-of-test assertions to; set up before any step runs.
void install_assert_handler() {
  static doctest::Context context;
  static const bool installed = [] {
    context.setOption("no-breaks", true);
    context.setAsDefaultForAssertsOutOfTestCases();
    context.setAssertHandler(on_failed_assert);
    return true;
  }();
  (void)installed;
}

// Installed before main, so an assertion in a hook that runs before any step is reported too.
[[maybe_unused]] const bool handler_installed_early = (install_assert_handler(), true);

}  // namespace

InvokeResult DoctestStep::invokeStepBody() {
  install_assert_handler();
  std::vector<std::string> collected;
  failures = &collected;
  struct Reset {
    ~Reset() { failures = nullptr; }
  } reset;
  try {
    body();
  } catch (const doctest::detail::TestFailureException&) {
    // a REQUIRE failed: already collected
  }
  if (collected.empty()) {
    return InvokeResult::success();
  }
  std::string message;
  for (const auto& failure : collected) {
    message += (message.empty() ? "" : "\n") + failure;
  }
  return InvokeResult::failure(message, "doctest assertion");
}

}  // namespace dream::cucumber::internal
