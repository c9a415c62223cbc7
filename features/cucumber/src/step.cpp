#include "dream/cucumber/step.hpp"

#include "failure.hpp"

namespace dream::cucumber {

InvokeResult BasicStep::invoke(const InvokeArgs& args) {
  args_ = &args;
  next_arg_ = 0;
  pending_.reset();
  InvokeResult result;
  try {
    result = invokeStepBody();
  } catch (...) {
    result = internal::result_of_current_exception();
  }
  return pending_ ? InvokeResult::pending(*pending_) : result;
}

void BasicStep::pending(const char* description) {
  pending_ = description != nullptr ? description : "TODO";
}

const Table& InvokeArgs::getTableArg() const {
  if (!table_) {
    throw std::invalid_argument("the step asks for a data table (TABLE_PARAM) but has none");
  }
  return *table_;
}

}  // namespace dream::cucumber
