#pragma once

#include <string>

namespace dream::cucumber::internal {

/// The C++ step definition cucumber suggests for an undefined step: the keyword as a macro,
/// the step's text as an anchored regex with quoted strings and integers as captures, a
/// REGEX_PARAM per capture (and TABLE_PARAM for a data table), and pending().
std::string snippet_text(const std::string& keyword, const std::string& step_name,
                         const std::string& multiline_arg_class);

}  // namespace dream::cucumber::internal
