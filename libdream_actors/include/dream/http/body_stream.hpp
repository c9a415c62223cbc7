#pragma once

#include <optional>
#include <string>
#include <utility>

namespace dream::http {

/// A response body produced chunk by chunk (Dream's streamed body), sent with chunked transfer
/// encoding. The server calls next_chunk() only after the previous chunk has been written.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  /// The next chunk, or nothing at the end; an empty chunk is skipped. Runs on the connection's
  /// I/O thread, so each call must be quick. A throw ends the response and closes the connection.
  virtual std::optional<std::string> next_chunk() = 0;
};

/// A BodyStream from a plain function and its state (no closures, as in Dream): `next(state)`
/// gives each chunk. The state lives as long as the response is being sent.
template <class State>
class FunctionBodyStream final : public BodyStream {
 public:
  using Next = std::optional<std::string> (*)(State&);
  FunctionBodyStream(State state, Next next) : state_(std::move(state)), next_(next) {}
  std::optional<std::string> next_chunk() override { return next_(state_); }

 private:
  State state_;
  Next next_;
};

}  // namespace dream::http
