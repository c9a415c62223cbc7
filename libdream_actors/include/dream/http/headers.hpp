#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dream::http {

/// HTTP header fields in their order, looked up without regard to case (HTTP's rule).
/// A name may appear more than once; get() returns the first.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  /// The first value of `name`, or nothing.
  std::optional<std::string_view> get(std::string_view name) const noexcept;
  /// Replaces every `name` field with one holding `value`.
  void set(std::string_view name, std::string value);
  /// Adds a field, keeping any of the same name.
  void add(std::string name, std::string value);
  /// Removes every `name` field.
  void remove(std::string_view name);

  auto begin() const noexcept { return fields_.begin(); }
  auto end() const noexcept { return fields_.end(); }
  std::size_t size() const noexcept { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

/// True if `a` and `b` are equal ignoring ASCII case (how HTTP compares names and tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace dream::http
