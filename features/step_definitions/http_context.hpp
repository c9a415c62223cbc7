#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "http_client.hpp"

namespace feature_steps {

/// The scenario's HTTP server and its last exchange: the steps that start a server set the
/// port, the request steps fill in the rest. One per scenario (a cucumber::ScenarioScope).
struct HttpContext {
  std::uint16_t port = 0;
  std::string request;  // "GET /", for failure messages
  std::optional<test_support::HttpReply> reply;
};

}  // namespace feature_steps
