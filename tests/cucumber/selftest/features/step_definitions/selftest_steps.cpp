// The step runner's self-test steps (doctest driver): what passes, and every way a step
// can fail. tests/cucumber_test.cpp runs them with cucumber and checks the report.
#include <doctest/doctest.h>
#include <dream/cucumber/autodetect.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

using cucumber::ScenarioScope;

namespace {

struct Seen {
  int whole = 0;
  double fraction = 0;
  std::string word;
  std::string name;
  cucumber::Table people;
  std::string text;
  int counter = 0;
  bool tagged_hook_ran = false;
  int around_calls = 0;
  int after_step_calls = 0;
  bool or_hook_ran = false;
  std::vector<std::string> trace;
  cucumber::Table grid;
};

int before_all_runs = 0;

}  // namespace

BEFORE_ALL() {
  ++before_all_runs;
  if (std::getenv("DREAM_SELFTEST_FAIL_BEFORE_ALL") != nullptr) {
    throw std::runtime_error("BEFORE_ALL failed on purpose");
  }
}

// Seen in the runner's log by tests/cucumber_test.cpp: AFTER_ALL runs after cucumber has gone.
AFTER_ALL() {
  std::cerr << "[selftest] AFTER_ALL ran" << std::endl;
}

BEFORE("@or_a,@or_b", "~@excluded") {
  ScenarioScope<Seen> seen;
  seen->or_hook_ran = true;
}

// cucumber-cpp's order: the last AROUND_STEP registered is the outermost, the last AFTER_STEP
// registered runs first.
AROUND_STEP("@order") {
  ScenarioScope<Seen> seen;
  seen->trace.push_back("A<");
  step->call();
  seen->trace.push_back("A>");
}

AROUND_STEP("@order") {
  ScenarioScope<Seen> seen;
  seen->trace.push_back("B<");
  step->call();
  seen->trace.push_back("B>");
}

AFTER_STEP("@order") {
  ScenarioScope<Seen> seen;
  seen->trace.push_back("X");
}

AFTER_STEP("@order") {
  ScenarioScope<Seen> seen;
  seen->trace.push_back("Y");
}

BEFORE("@tagged") {
  ScenarioScope<Seen> seen;
  seen->tagged_hook_ran = true;
}

AROUND_STEP("@around") {
  ScenarioScope<Seen> seen;
  ++seen->around_calls;
  step->call();
}

AFTER_STEP("@around") {
  ScenarioScope<Seen> seen;
  ++seen->after_step_calls;
}

AFTER("@failing_after") {
  throw std::runtime_error("the AFTER hook failed on purpose");
}

GIVEN("^the numbers (-?\\d+) and (-?[\\d.]+) and the word \"([^\"]*)\"$") {
  REGEX_PARAM(int, whole);
  REGEX_PARAM(double, fraction);
  REGEX_PARAM(std::string, word);
  ScenarioScope<Seen> seen;
  seen->whole = whole;
  seen->fraction = fraction;
  seen->word = word;
}

THEN("^the step saw (-?\\d+), (-?[\\d.]+) and \"([^\"]*)\"$") {
  REGEX_PARAM(int, whole);
  REGEX_PARAM(double, fraction);
  REGEX_PARAM(std::string, word);
  ScenarioScope<Seen> seen;
  CHECK_EQ(seen->whole, whole);
  CHECK_EQ(seen->fraction, fraction);
  CHECK_EQ(seen->word, word);
}

GIVEN("^the parameters (\\d+) and \"([^\"]*)\" arrive as arguments$",
      (const unsigned number, const std::string& word)) {
  CHECK_EQ(number, 7u);
  CHECK_EQ(word, "seven");
}

GIVEN("^the name \"([^\"]*)\" is entered$") {
  REGEX_PARAM(std::string, name);
  ScenarioScope<Seen> seen;
  seen->name = name;
}

THEN("^the name should have (\\d+) bytes$") {
  REGEX_PARAM(std::size_t, bytes);
  ScenarioScope<Seen> seen;
  CHECK_EQ(seen->name, "Zo\xC3\xAB \xE2\x9C\x93 \xE6\x97\xA5\xE6\x9C\xAC");
  CHECK_EQ(seen->name.size(), bytes);
}

GIVEN("^these people:$") {
  TABLE_PARAM(people);
  ScenarioScope<Seen> seen;
  seen->people = people;
}

THEN("^there should be (\\d+) people and \"([^\"]*)\" should be (\\d+)$") {
  REGEX_PARAM(std::size_t, count);
  REGEX_PARAM(std::string, name);
  REGEX_PARAM(std::string, age);
  ScenarioScope<Seen> seen;
  const table_hashes_type& rows = seen->people.hashes();
  REQUIRE_EQ(rows.size(), count);
  CHECK_EQ(seen->people.raw().front(), std::vector<std::string>{"name", "age"});
  bool found = false;
  for (const auto& row : rows) {
    found = found || (row.at("name") == name && row.at("age") == age);
  }
  CHECK(found);
}

GIVEN("^this text:$") {
  REGEX_PARAM(std::string, text);
  ScenarioScope<Seen> seen;
  seen->text = text;
}

THEN("^the text should have (\\d+) lines$") {
  REGEX_PARAM(int, lines);
  ScenarioScope<Seen> seen;
  CHECK_EQ(seen->text, "first line\n  second \"line\"");
  std::istringstream in(seen->text);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    ++count;
  }
  CHECK_EQ(count, lines);
}

GIVEN("^the scenario counter is incremented$") {
  ScenarioScope<Seen> seen;
  ++seen->counter;
}

THEN("^the scenario counter should be (\\d+)$") {
  REGEX_PARAM(int, expected);
  ScenarioScope<Seen> seen;
  CHECK_EQ(seen->counter, expected);
}

THEN("^the tagged hook should have run$") {
  ScenarioScope<Seen> seen;
  CHECK(seen->tagged_hook_ran);
}

THEN("^the tagged hook should not have run$") {
  ScenarioScope<Seen> seen;
  CHECK_FALSE(seen->tagged_hook_ran);
}

THEN("^the around hook should have wrapped (\\d+) steps? before this one$") {
  REGEX_PARAM(int, before);
  ScenarioScope<Seen> seen;
  CHECK_EQ(seen->around_calls, before + 1);  // this step is wrapped too
  CHECK_EQ(seen->after_step_calls, before);  // ... but its AFTER_STEP comes after it
}

THEN("^BEFORE_ALL should have run once$") {
  CHECK_EQ(before_all_runs, 1);
}

THEN("^the or-hook should have run$") {
  ScenarioScope<Seen> seen;
  CHECK(seen->or_hook_ran);
}

THEN("^the or-hook should not have run$") {
  ScenarioScope<Seen> seen;
  CHECK_FALSE(seen->or_hook_ran);
}

GIVEN("^the step records itself$") {
  ScenarioScope<Seen> seen;
  seen->trace.push_back("step");
}

THEN("^the trace should be \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, expected);
  ScenarioScope<Seen> seen;
  std::string trace;
  for (const auto& entry : seen->trace) {
    trace += (trace.empty() ? "" : " ") + entry;
  }
  CHECK_EQ(trace, expected);
}

GIVEN("^this grid:$") {
  TABLE_PARAM(grid);
  ScenarioScope<Seen> seen;
  seen->grid = grid;
}

THEN("^the grid's second row should be \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, expected);
  ScenarioScope<Seen> seen;
  REQUIRE_EQ(seen->grid.raw().size(), 2u);
  const auto& row = seen->grid.raw()[1];
  CHECK_EQ(row[0] + " " + row[1] + " " + row[2], expected);
}

WHEN("^a step checks on another thread and warns$") {
  std::thread([] { CHECK(1 + 1 == 2); }).join();
  WARN(1 + 1 == 3);
}

WHEN("^a step prints 200 KiB$") {
  const std::string line(1023, '.');
  for (int i = 0; i < 200; ++i) {
    std::cout << line << '\n';
  }
  std::cout << std::flush;
}

// ---- failures, each checked by tests/cucumber_test.cpp ----

WHEN("^a step fails two CHECKs$") {
  const int two = 2;
  CHECK_EQ(two, 3);
  CHECK(two == 4);
}

WHEN("^a step fails a REQUIRE and then a CHECK$") {
  const int two = 2;
  REQUIRE(two == 5);
  CHECK(two == 6);
}

WHEN("^a step fails with doctest's messages$") {
  const int answer = 42;
  INFO("the answer is ", answer);
  CHECK_MESSAGE(answer == 41, "forty-one expected");
  FAIL_CHECK("a FAIL_CHECK goes on");
  FAIL("a FAIL ends the step");
  CHECK_MESSAGE(answer == 40, "never reached");
}

WHEN("^a step fails a CHECK on another thread$") {
  const int two = 2;
  std::thread([two] { CHECK_EQ(two, 11); }).join();
}

WHEN("^a step fails a CHECK and then throws$") {
  const int two = 2;
  CHECK_EQ(two, 12);
  throw std::out_of_range("no such key");
}

WHEN("^a step throws a std::string \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, text);
  throw text;
}

WHEN("^a step throws a std::runtime_error \"([^\"]*)\"$") {
  REGEX_PARAM(std::string, what);
  throw std::runtime_error(what);
}

WHEN("^a step throws an int$") {
  throw 42;
}

// As in cucumber-cpp, pending() marks the step and the body goes on: it is pending still.
WHEN("^a step is pending$") {
  pending("not written yet");
  throw std::runtime_error("after pending()");
}

// The subject of slow.feature: a step longer than cucumber's invoke timeout there.
WHEN("^a step takes (\\d+) seconds$") {
  REGEX_PARAM(int, seconds);
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
}

WHEN("^a step matches twice$") {}
WHEN("^a step matches (twice)$") {}

WHEN("^I enter \"([^\"]*)\" as a number$") {
  REGEX_PARAM(int, number);
  CHECK(number > 0);
}

WHEN("^the step runner is killed$") {
  std::raise(SIGKILL);
}
