#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The chat protocol as the load generator sees it, and the stamp each of its texts carries.
namespace dream_bench {

/// A broadcast frame's fields: {"type":…,"user":…[,"text":…]}; empty when absent.
struct ChatEvent {
  std::string_view type;
  std::string_view user;
  std::string_view text;
};

/// Reads the fields of a chat frame. Only the benchmark's own names and texts are read, which
/// never contain quotes or escapes, so no JSON library is needed on this hot path.
ChatEvent parse_event(std::string_view frame);

/// What a measured text carries: its sequence number and when it was sent.
struct Stamp {
  std::uint64_t seq;
  std::int64_t sent_ns;
};

/// "SEQ SENT_NS" padded with 'x' to `size` bytes (longer if the stamp needs it).
std::string make_text(Stamp stamp, std::size_t size);
/// The stamp of a text made by make_text, or nothing for any other text.
std::optional<Stamp> parse_stamp(std::string_view text);

}  // namespace dream_bench
