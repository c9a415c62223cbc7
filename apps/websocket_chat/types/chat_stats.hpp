#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

// What the live dashboard shows (GET /stats, one SSE event a tick).
namespace chat::types {

/// The chat's numbers at one tick: who is connected, how busy it is, and how much was said.
struct ChatStats {
  std::size_t users = 0;
  std::uint64_t messages_per_second = 0;  // over the last tick, rounded
  std::uint64_t messages = 0;             // since the server started
};

/// {"users":N,"messages_per_second":X,"messages":M}, made by Boost.JSON.
std::string to_json(const ChatStats& stats);

}  // namespace chat::types
