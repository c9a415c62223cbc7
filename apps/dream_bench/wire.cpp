#include "wire.hpp"

#include <charconv>

namespace dream_bench {
namespace {

std::string_view field(std::string_view frame, std::string_view key) {
  const auto at = frame.find(key);
  if (at == std::string_view::npos) {
    return {};
  }
  const auto begin = at + key.size();
  const auto end = frame.find('"', begin);
  return end == std::string_view::npos ? std::string_view{} : frame.substr(begin, end - begin);
}

}  // namespace

ChatEvent parse_event(std::string_view frame) {
  return ChatEvent{field(frame, R"("type":")"), field(frame, R"("user":")"),
                   field(frame, R"("text":")")};
}

std::string make_text(Stamp stamp, std::size_t size) {
  auto text = std::to_string(stamp.seq) + ' ' + std::to_string(stamp.sent_ns);
  if (text.size() < size) {
    text.append(size - text.size(), 'x');
  }
  return text;
}

std::optional<Stamp> parse_stamp(std::string_view text) {
  Stamp stamp{};
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, stamp.seq);
  if (ec != std::errc{} || p == end || *p != ' ') {
    return std::nullopt;
  }
  auto [q, ec2] = std::from_chars(p + 1, end, stamp.sent_ns);
  if (ec2 != std::errc{} || (q != end && *q != 'x')) {
    return std::nullopt;
  }
  return stamp;
}

}  // namespace dream_bench
