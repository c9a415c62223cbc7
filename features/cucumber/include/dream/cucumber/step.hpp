#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "dream/cucumber/table.hpp"

namespace dream::cucumber {

/// The arguments of one step invocation: the regex captures as strings, then the step's
/// doc string (as one more string) or data table, as cucumber sent them.
class InvokeArgs {
 public:
  InvokeArgs() = default;
  InvokeArgs(std::vector<std::string> args, std::optional<Table> table)
      : args_(std::move(args)), table_(std::move(table)) {}

  std::size_t size() const noexcept { return args_.size(); }
  /// Argument `i` converted to T (via operator>>, whole string for std::string); throws
  /// std::invalid_argument naming the argument when it is missing or does not convert.
  template <class T>
  T getInvokeArg(std::size_t i) const;
  /// The step's data table; throws std::invalid_argument when the step has none.
  const Table& getTableArg() const;

 private:
  std::vector<std::string> args_;
  std::optional<Table> table_;
};

/// How a step (or hook) ended, as the wire protocol reports it.
struct InvokeResult {
  enum class Type { success, failure, pending };
  Type type = Type::success;
  std::string message;    // what failed, or why it is pending
  std::string exception;  // the failure's kind: a C++ exception type or "assertion"

  static InvokeResult success() { return {}; }
  static InvokeResult failure(std::string message, std::string exception = "assertion") {
    return {Type::failure, std::move(message), std::move(exception)};
  }
  static InvokeResult pending(std::string message) {
    return {Type::pending, std::move(message), {}};
  }
  bool isSuccess() const noexcept { return type == Type::success; }
  bool isPending() const noexcept { return type == Type::pending; }
};

/// The base of every step definition. A driver (generic, doctest, GoogleTest) derives from
/// it and decides how the body's assertion failures become a failed result.
class BasicStep {
 public:
  virtual ~BasicStep() = default;
  /// Runs the body with `args`; never throws: every exception becomes a failure result
  /// naming its type. A body that called `pending()` is pending, whatever else it did.
  InvokeResult invoke(const InvokeArgs& args);

 protected:
  using table_type = const Table;
  using table_hashes_type = const Table::hashes_type;

  /// The driver's part: run body() and turn its assertion failures into a result.
  virtual InvokeResult invokeStepBody() = 0;
  /// The step's code, written by the user after GIVEN/WHEN/THEN.
  virtual void body() = 0;

  /// Marks the step as not implemented yet; the body goes on, as in cucumber-cpp, and
  /// cucumber reports the step pending (a failure under --strict).
  void pending(const char* description = nullptr);

  /// The next regex capture, converted to T (REGEX_PARAM uses this, in order).
  template <class T>
  T getInvokeArg() {
    return args_->getInvokeArg<T>(next_arg_++);
  }
  const InvokeArgs* getArgs() const noexcept { return args_; }

  /// Calls `body` with the captures converted to its parameters' types, in order (the
  /// `GIVEN(regex, (parameters))` form).
  template <class Derived, class... Params>
  void invoke_with_args(Derived* self, void (Derived::*body)(Params...)) {
    // A braced list is evaluated left to right: the captures are taken in order.
    std::tuple<std::decay_t<Params>...> values{getInvokeArg<std::decay_t<Params>>()...};
    std::apply([&](auto&... value) { (self->*body)(value...); }, values);
  }

 private:
  const InvokeArgs* args_ = nullptr;
  std::size_t next_arg_ = 0;
  std::optional<std::string> pending_;
};

namespace internal {

/// Converts a capture to T the way cucumber-cpp does (operator>> on the whole text).
template <class T>
T from_string(const std::string& text, std::size_t index) {
  if constexpr (std::is_same_v<T, std::string>) {
    return text;
  } else {
    std::istringstream in(text);
    T value{};
    in >> value;
    if (in.fail() || !(in >> std::ws).eof()) {
      throw std::invalid_argument("argument " + std::to_string(index + 1) + " (\"" + text +
                                  "\") does not convert to the parameter's type");
    }
    return value;
  }
}

/// Makes a fresh step object and invokes it: one per invocation, as cucumber-cpp does.
using StepFactory = std::function<std::unique_ptr<BasicStep>()>;

/// Registers a step definition; a regex that does not compile is recorded, not thrown (this
/// runs before main), and the runner refuses to start, naming it. Returns the step's id.
int register_step(const std::string& regex, const char* file, int line, StepFactory make);

template <class Step>
int registerStep(const std::string& regex, const char* file, int line) {
  return register_step(regex, file, line, [] { return std::make_unique<Step>(); });
}

}  // namespace internal

template <class T>
T InvokeArgs::getInvokeArg(std::size_t i) const {
  if (i >= args_.size()) {
    throw std::invalid_argument("step asks for argument " + std::to_string(i + 1) +
                                " but its regular expression captured " +
                                std::to_string(args_.size()));
  }
  return internal::from_string<T>(args_[i], i);
}

}  // namespace dream::cucumber
