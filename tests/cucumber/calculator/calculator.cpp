#include "calculator.hpp"

#include <stdexcept>

void Calculator::push(double n) {
  values_.push_back(n);
}

namespace {
std::pair<double, double> pop_two(std::vector<double>& values) {
  if (values.size() < 2) {
    throw std::logic_error("an operation needs two numbers entered");
  }
  const double second = values.back();
  values.pop_back();
  const double first = values.back();
  values.pop_back();
  return {first, second};
}
}  // namespace

double Calculator::add() {
  const auto [a, b] = pop_two(values_);
  values_.push_back(a + b);
  return a + b;
}

double Calculator::divide() {
  const auto [a, b] = pop_two(values_);
  values_.push_back(a / b);
  return a / b;
}
