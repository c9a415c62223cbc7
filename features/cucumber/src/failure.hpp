#pragma once

#include <exception>
#include <string>

#include "dream/cucumber/step.hpp"

namespace dream::cucumber::internal {

/// The readable name of the exception being handled (demangled, any type, not only
/// std::exception); call only inside a catch block.
std::string current_exception_type();

/// Turns the exception being handled into a failure naming the exception's type and its
/// message (what(), or the text of a thrown std::string or C string). Call only inside a
/// catch block.
InvokeResult result_of_current_exception();

}  // namespace dream::cucumber::internal
