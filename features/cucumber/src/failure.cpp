#include "failure.hpp"

#include <cxxabi.h>
#include <cstdlib>
#include <memory>
#include <typeinfo>

namespace dream::cucumber::internal {

std::string current_exception_type() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) {
    return "unknown exception";
  }
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(
      abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(type->name());
}

InvokeResult result_of_current_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return InvokeResult::failure(e.what(), current_exception_type());
  } catch (const std::string& text) {
    return InvokeResult::failure(text, "std::string");
  } catch (const char* text) {
    return InvokeResult::failure(text != nullptr ? text : "(null)", "const char*");
  } catch (...) {
    const auto type = current_exception_type();
    return InvokeResult::failure(
        "the step threw an exception of type " + type + " (not a std::exception)", type);
  }
}

}  // namespace dream::cucumber::internal
