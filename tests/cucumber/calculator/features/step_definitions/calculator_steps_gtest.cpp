// The calculator's steps exactly as a cucumber-cpp user writes them with GoogleTest: only
// the include line differs from cucumber-cpp (<cucumber-cpp/autodetect.hpp> there).
#include <gtest/gtest.h>
#include <dream/cucumber/autodetect.hpp>

#include <calculator.hpp>

using cucumber::ScenarioScope;

struct CalcCtx {
  Calculator calc;
  double result;
};

GIVEN("^I have entered (\\d+) into the calculator$") {
  REGEX_PARAM(double, n);
  ScenarioScope<CalcCtx> context;

  context->calc.push(n);
}

GIVEN("^I have entered these numbers into the calculator:$") {
  TABLE_PARAM(numbers);
  ScenarioScope<CalcCtx> context;

  const table_hashes_type& rows = numbers.hashes();
  for (table_hashes_type::const_iterator row = rows.begin(); row != rows.end(); ++row) {
    context->calc.push(std::stod(row->at("number")));
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

  EXPECT_EQ(expected, context->result);
}

THEN("^the calculator should hold (\\d+) numbers$") {
  REGEX_PARAM(unsigned, expected);
  ScenarioScope<CalcCtx> context;

  ASSERT_EQ(expected, context->calc.size());
}
