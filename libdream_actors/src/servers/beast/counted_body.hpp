#pragma once

#include <memory>
#include <utility>

#include "dream/process/detail/process_body.hpp"
#include "shared_state.hpp"

namespace dream::servers::beast::detail {

/// A WebSocket connection's process body, counted by the server while it lives: stop() waits
/// for the count to reach zero, so it returns only after every on_close has run and every
/// connection's state is destroyed (even in a Runtime the server was lent, which goes on).
class CountedBody final : public process::detail::ProcessBody {
 public:
  CountedBody(std::unique_ptr<process::detail::ProcessBody> body,
              std::shared_ptr<SharedState> state)
      : body_(std::move(body)), state_(std::move(state)) {
    state_->process_started();
  }
  ~CountedBody() override {
    body_.reset();  // the user's state goes first: stop() promises it is gone
    state_->process_ended();
  }

  process::detail::Step init() override { return body_->init(); }
  process::detail::Step on_message(std::uint64_t tag,
                                   std::shared_ptr<const void> payload) override {
    return body_->on_message(tag, std::move(payload));
  }
  process::detail::Step on_down(const process::Down& down) override { return body_->on_down(down); }
  void on_exit() override { body_->on_exit(); }

 private:
  std::unique_ptr<process::detail::ProcessBody> body_;
  std::shared_ptr<SharedState> state_;
};

}  // namespace dream::servers::beast::detail
