#include "options.hpp"

#include <charconv>
#include <stdexcept>

namespace dream_bench {

Options::Options(int argc, char** argv) {
  if (argc < 2) {
    throw std::invalid_argument("no scenario given");
  }
  scenario_ = argv[1];
  for (int i = 2; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag.rfind("--", 0) != 0) {
      throw std::invalid_argument("expected a --flag, not '" + flag + "'");
    }
    if (i + 1 >= argc) {
      throw std::invalid_argument(flag + " needs a value");
    }
    values_[flag.substr(2)] = argv[i + 1];
  }
}

std::uint64_t Options::number(const std::string& name) const {
  if (!values_.count(name)) {
    throw std::invalid_argument("--" + name + " is required");
  }
  return number(name, 0);
}

std::uint64_t Options::number(const std::string& name, std::uint64_t fallback) const {
  const auto found = values_.find(name);
  if (found == values_.end()) {
    return fallback;
  }
  read_[name] = true;
  std::uint64_t value = 0;
  const auto& s = found->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    throw std::invalid_argument("--" + name + " needs a whole number, not '" + s + "'");
  }
  return value;
}

std::string Options::text(const std::string& name, const std::string& fallback) const {
  const auto found = values_.find(name);
  if (found == values_.end()) {
    return fallback;
  }
  read_[name] = true;
  return found->second;
}

std::vector<std::string> Options::list(const std::string& name) const {
  std::vector<std::string> items;
  const auto all = text(name, "");
  std::size_t begin = 0;
  while (begin < all.size()) {
    auto end = all.find(',', begin);
    if (end == std::string::npos) {
      end = all.size();
    }
    if (end > begin) {
      items.push_back(all.substr(begin, end - begin));
    }
    begin = end + 1;
  }
  return items;
}

std::vector<std::string> Options::unused() const {
  std::vector<std::string> names;
  for (const auto& [name, value] : values_) {
    if (!read_.count(name)) {
      names.push_back("--" + name);
    }
  }
  return names;
}

}  // namespace dream_bench
