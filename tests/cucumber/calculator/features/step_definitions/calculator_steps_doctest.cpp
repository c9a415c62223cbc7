// The same steps with doctest's assertions (the project's own test framework).
#include <doctest/doctest.h>
#include <dream/cucumber/autodetect.hpp>

#include <calculator.hpp>

using cucumber::ScenarioScope;

struct CalcCtx {
  Calculator calc;
  double result = 0;
};

GIVEN("^I have entered (\\d+) into the calculator$") {
  REGEX_PARAM(double, n);
  ScenarioScope<CalcCtx> context;
  context->calc.push(n);
}

GIVEN("^I have entered these numbers into the calculator:$") {
  TABLE_PARAM(numbers);
  ScenarioScope<CalcCtx> context;
  REQUIRE(numbers.columns() == std::vector<std::string>{"number", "note"});
  for (const auto& row : numbers.hashes()) {
    context->calc.push(std::stod(row.at("number")));
  }
}

WHEN("^I press add") {
  ScenarioScope<CalcCtx> context;
  context->result = context->calc.add();
}

WHEN("^I sum them all up$") {
  ScenarioScope<CalcCtx> context;
  while (context->calc.size() > 1) {
    context->result = context->calc.add();
  }
}

WHEN("^I press divide") {
  ScenarioScope<CalcCtx> context;
  context->result = context->calc.divide();
}

THEN("^the result should be (.*) on the screen$") {
  REGEX_PARAM(double, expected);
  ScenarioScope<CalcCtx> context;
  CHECK_EQ(context->result, doctest::Approx(expected));
}

THEN("^the calculator should hold (\\d+) numbers$") {
  REGEX_PARAM(unsigned, expected);
  ScenarioScope<CalcCtx> context;
  REQUIRE_EQ(context->calc.size(), expected);
}
