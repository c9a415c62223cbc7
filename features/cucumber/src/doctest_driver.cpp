// doctest's implementation lives here, so step files only include <doctest/doctest.h>; its
// assertions run outside any doctest test case, reported through an assert handler.
#define DOCTEST_CONFIG_IMPLEMENT
#include "dream/cucumber/doctest.hpp"

#include <sstream>
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
  // The INFO / CAPTURE / *_MESSAGE contexts active at the assertion.
  std::ostringstream contexts;
  const auto* const* active = doctest::IReporter::get_active_contexts();
  for (int i = 0; i < doctest::IReporter::get_num_active_contexts(); ++i) {
    contexts << "\n  ";
    active[i]->stringify(&contexts);
  }
  return text + contexts.str() + "\n  at " + data.m_file + ":" + std::to_string(data.m_line);
}

// FAIL / FAIL_CHECK / ADD_FAIL_AT reach reporters (log_message), not the assert handler.
struct MessageCollector : doctest::IReporter {
  explicit MessageCollector(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData& data) override;
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

void MessageCollector::log_message(const doctest::MessageData& data) {
  if (data.m_severity & doctest::assertType::is_warn) {
    return;
  }
  std::string text = std::string(data.m_string.c_str()) + "\n  at " + data.m_file + ":" +
                     std::to_string(data.m_line);
  if (failures == nullptr) {
    throw AssertionFailed(text);
  }
  failures->push_back(text);
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
    static doctest::ContextOptions options;
    static MessageCollector collector(options);
    doctest::detail::g_cs->reporters_currently_used.push_back(&collector);
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
