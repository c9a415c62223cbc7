// doctest's implementation lives here, so step files only include <doctest/doctest.h>; its
// assertions run outside any doctest test case, reported through an assert handler (CHECK,
// REQUIRE...) and a reporter (FAIL, FAIL_CHECK, which reach reporters only).
#define DOCTEST_CONFIG_IMPLEMENT
#include "dream/cucumber/doctest.hpp"

#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "failure.hpp"

namespace dream::cucumber::internal {

namespace {

// The failures of the step running now, from whichever thread asserts (a step may hand work
// to other threads); null between steps.
std::mutex failures_mutex;
std::vector<std::string>* failures = nullptr;
// Steps and hooks run on the thread that serves the wire protocol: main.
const std::thread::id hook_thread = std::this_thread::get_id();

class AssertionFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Adds a failure to the running step's; between steps, on the hooks' thread, throws so the
// hook fails; on another thread (a server's, after its step ended) only logs it.
void report(std::string failure) {
  std::unique_lock lock(failures_mutex);
  if (failures != nullptr) {
    failures->push_back(std::move(failure));
    return;
  }
  lock.unlock();
  if (std::this_thread::get_id() == hook_thread) {
    throw AssertionFailed(failure);
  }
  std::cerr << "[dream-cucumber] an assertion failed outside any step: " << failure << std::endl;
}

std::string describe(const doctest::AssertData& data) {
  std::string text = std::string(doctest::assertString(data.m_at)) + "( " + data.m_expr + " )";
  if (data.m_threw) {
    text += " threw " + std::string(data.m_exception.c_str());
  } else if (data.m_decomp.size() > 0) {
    text += " is NOT correct!\n  values: " + std::string(doctest::assertString(data.m_at)) + "( " +
            data.m_decomp.c_str() + " )";
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

void on_failed_assert(const doctest::AssertData& data) {
  if (data.m_at & doctest::assertType::is_warn) {
    std::cerr << "[dream-cucumber] warning: " << describe(data) << std::endl;
    return;  // a WARN never fails a step
  }
  report(describe(data));
  // A REQUIRE goes on to throw doctest's TestFailureException, which ends the body.
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
  void log_message(const doctest::MessageData& data) override {
    if (data.m_severity & doctest::assertType::is_warn) {
      return;  // MESSAGE and WARN-level messages are not failures
    }
    report(std::string(data.m_string.c_str()) + "\n  at " + data.m_file + ":" +
           std::to_string(data.m_line));
  }
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

// The context doctest reports out-of-test assertions to, with our handler and reporter.
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
  std::vector<std::string> collected;
  {
    std::lock_guard lock(failures_mutex);
    failures = &collected;
  }
  std::optional<InvokeResult> thrown;
  try {
    body();
  } catch (const doctest::detail::TestFailureException&) {
    // a REQUIRE or FAIL ended the body: already collected
  } catch (...) {
    thrown = result_of_current_exception();
  }
  {
    std::lock_guard lock(failures_mutex);
    failures = nullptr;
  }
  if (collected.empty()) {
    return thrown ? *thrown : InvokeResult::success();
  }
  std::string message;
  for (const auto& failure : collected) {
    message += (message.empty() ? "" : "\n") + failure;
  }
  if (thrown) {  // the failed assertions first, then what ended the step
    return InvokeResult::failure(message + "\nthen the step threw: " + thrown->message,
                                 thrown->exception);
  }
  return InvokeResult::failure(message, "doctest assertion");
}

}  // namespace dream::cucumber::internal
