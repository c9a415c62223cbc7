#include "snippet.hpp"

#include <cctype>
#include <string_view>
#include <vector>

namespace dream::cucumber::internal {

namespace {

std::string macro_for(std::string keyword) {
  while (!keyword.empty() && std::isspace(static_cast<unsigned char>(keyword.back()))) {
    keyword.pop_back();
  }
  if (keyword == "Given")
    return "GIVEN";
  if (keyword == "When")
    return "WHEN";
  if (keyword == "Then")
    return "THEN";
  return "STEP";  // And, But, *, other languages' keywords
}

void append_literal(std::string& regex, char c) {
  if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) {
    regex += '\\';
  }
  regex += c;
}

// The regex as a C++ string literal's contents.
std::string cpp_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

bool starts_number(const std::string& text, std::size_t i) {
  const bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
  const std::size_t digit = text[i] == '-' ? i + 1 : i;
  return word_start && digit < text.size() && std::isdigit(static_cast<unsigned char>(text[digit]));
}

}  // namespace

std::string snippet_text(const std::string& keyword, const std::string& step_name,
                         const std::string& multiline_arg_class) {
  std::string regex = "^";
  std::vector<std::string> params;
  for (std::size_t i = 0; i < step_name.size();) {
    const char c = step_name[i];
    if (c == '"' && step_name.find('"', i + 1) != std::string::npos) {
      regex += "\"([^\"]*)\"";
      params.push_back("std::string");
      i = step_name.find('"', i + 1) + 1;
    } else if (starts_number(step_name, i)) {
      std::size_t end = i + 1;
      while (end < step_name.size() && std::isdigit(static_cast<unsigned char>(step_name[end]))) {
        ++end;
      }
      if (end < step_name.size() && std::isalpha(static_cast<unsigned char>(step_name[end]))) {
        append_literal(regex, c);  // "2nd": a word, not a number
        ++i;
        continue;
      }
      regex += "(-?\\d+)";
      params.push_back("int");
      i = end;
    } else {
      append_literal(regex, c);
      ++i;
    }
  }
  regex += "$";

  std::string snippet = macro_for(keyword) + "(\"" + cpp_escaped(regex) + "\") {\n";
  for (std::size_t n = 0; n < params.size(); ++n) {
    snippet += "  REGEX_PARAM(" + params[n] + ", arg" + std::to_string(n + 1) + ");\n";
  }
  if (multiline_arg_class.find("DataTable") != std::string::npos) {
    snippet += "  TABLE_PARAM(table);\n";
  } else if (multiline_arg_class.find("DocString") != std::string::npos) {
    snippet += "  REGEX_PARAM(std::string, doc_string);\n";
  }
  snippet += "  pending();\n}\n";
  return snippet;
}

}  // namespace dream::cucumber::internal
