#pragma once

#include <vector>

/// The calculator of cucumber-cpp's example, ours: numbers are entered, then an operation
/// combines the last two into one. An operation on fewer than two numbers throws.
class Calculator {
 public:
  void push(double n);
  /// Replaces the last two numbers by their sum and returns it.
  double add();
  /// Replaces the last two numbers by their quotient (first / second) and returns it.
  double divide();
  /// How many numbers are waiting.
  std::size_t size() const noexcept { return values_.size(); }

 private:
  std::vector<double> values_;
};
