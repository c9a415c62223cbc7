#include "timed_transport.hpp"

namespace dream::servers::beast::detail {

void TimedTransport::expires_after(std::chrono::steady_clock::duration timeout) {
  timer_.expires_after(timeout);  // cancels the wait for the earlier deadline
  timed_out_ = false;
  // The handler holds the owner only weakly: a deadline never keeps a finished session alive.
  timer_.async_wait([this, owner = owner_](boost::system::error_code ec) {
    if (ec) {
      return;  // replaced or cancelled: `this` may be gone, so it is not touched
    }
    const auto alive = owner.lock();
    // A deadline moved after this wait had already completed is not this one.
    if (!alive || timer_.expiry() > std::chrono::steady_clock::now()) {
      return;
    }
    timed_out_ = true;
    boost::system::error_code ignored;
    transport_.close(ignored);
  });
}

void TimedTransport::close() {
  timer_.expires_at(never);
  boost::system::error_code ignored;
  transport_.close(ignored);
}

}  // namespace dream::servers::beast::detail
