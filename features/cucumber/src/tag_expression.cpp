#include <algorithm>
#include <stdexcept>

#include "dream/cucumber/hooks.hpp"

namespace dream::cucumber {

namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The quoted strings of the stringised macro arguments: `"@a,@b", "~@c"` gives @a,@b and ~@c.
std::vector<std::string> quoted_terms(const std::string& source) {
  std::vector<std::string> terms;
  std::size_t at = 0;
  while ((at = source.find('"', at)) != std::string::npos) {
    const auto end = source.find('"', at + 1);
    if (end == std::string::npos) {
      throw std::invalid_argument("unbalanced quotes in tag expression " + source);
    }
    terms.push_back(source.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  if (terms.empty() && !trim(source).empty()) {
    terms.push_back(source);  // a bare string, as a program may register one
  }
  return terms;
}

}  // namespace

TagExpression::TagExpression(const std::string& source) {
  for (const auto& term : quoted_terms(source)) {
    std::vector<Tag> any_of;
    std::size_t start = 0;
    while (start <= term.size()) {
      const auto comma = std::min(term.find(',', start), term.size());
      auto text = trim(term.substr(start, comma - start));
      Tag tag;
      if (!text.empty() && text.front() == '~') {
        tag.negated = true;
        text = trim(text.substr(1));
      }
      if (text.size() < 2 || text.front() != '@') {
        throw std::invalid_argument("tag expression \"" + term + "\": \"" + text +
                                    "\" is not a @tag");
      }
      tag.name = text.substr(1);
      any_of.push_back(std::move(tag));
      start = comma + 1;
    }
    all_of_any_of_.push_back(std::move(any_of));
  }
}

bool TagExpression::matches(const std::vector<std::string>& tags) const {
  const auto has = [&](const std::string& name) {
    return std::find(tags.begin(), tags.end(), name) != tags.end();
  };
  return std::all_of(all_of_any_of_.begin(), all_of_any_of_.end(), [&](const auto& any_of) {
    return std::any_of(any_of.begin(), any_of.end(),
                       [&](const Tag& tag) { return has(tag.name) != tag.negated; });
  });
}

}  // namespace dream::cucumber
