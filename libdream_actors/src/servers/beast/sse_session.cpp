#include "sse_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "../../log.hpp"

namespace dream::servers::beast::detail {

namespace net = boost::asio;

namespace {

// The response head. There is no Content-Length and no chunking: the stream is the rest of
// the connection, as HTTP/1.1 allows, which every EventSource reads.
std::string head(http::Headers headers) {
  headers.set("Content-Type", "text/event-stream");
  for (const char* framing : {"Content-Length", "Transfer-Encoding", "Connection"}) {
    headers.remove(framing);
  }
  std::string text = "HTTP/1.1 200 OK\r\n";
  for (const auto& [name, value] : headers) {
    text += name + ": " + value + "\r\n";
  }
  return text + "\r\n";
}

struct Ended {};  // the payload of the end message; only its tag matters

}  // namespace

SseSession::SseSession(Transport transport, std::shared_ptr<SharedState> state, ConnectionSlot slot,
                       std::shared_ptr<const dream::detail::SseUpgrade> upgrade)
    : socket_(std::move(transport)),
      heartbeat_(socket_.get_executor()),
      state_(std::move(state)),
      slot_(std::move(slot)),
      upgrade_(std::move(upgrade)) {}

SseSession::~SseSession() {
  // Destroyed without having told its process (a server stop that had to cut the last
  // connections): the process still hears of the end, so its on_close runs.
  if (!notified_ && core_ && process_ != process::Pid{}) {
    core_->mark_closed();
    (void)process::detail::deliver(process_, core_->end_tag, std::make_shared<Ended>());
  }
  state_->leave(this);
}

void SseSession::run(http::Headers headers) {
  net::dispatch(socket_.get_executor(),
                [self = shared_from_this(), headers = std::move(headers)]() mutable {
                  self->queue(head(std::move(headers)), false);
                  self->start();
                });
}

void SseSession::start() {
  core_ = std::make_shared<sse::detail::SseCore>(weak_from_this(), state_);
  process_ = process::detail::spawn(state_->runtime(), upgrade_->make_body(sse::Connection(core_)));
  upgrade_.reset();
  if (process_ == process::Pid{}) {
    dream::detail::log_error("sse: the runtime is shut down; closing the connection");
    close_when_flushed_ = true;
    return;  // the head is written, then the connection ends
  }
  do_read();
  arm_heartbeat();
}

void SseSession::do_read() {
  socket_.async_read_some(net::buffer(discard_),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            if (ec) {
                              return self->end();  // EOF or an error: the client went away
                            }
                            self->do_read();
                          });
}

void SseSession::queue(std::string bytes, bool counted) {
  // Closing (close_when_flushed_) still takes bytes: they were sent before the close, and
  // their post reached this strand after it.
  if (ended_) {
    if (counted) {
      core_->sent(bytes.size());
    }
    return;
  }
  queue_.push_back(Outgoing{std::move(bytes), counted});
  if (!writing_) {
    do_write();
  }
}

void SseSession::do_write() {
  writing_ = true;
  net::async_write(socket_, net::buffer(queue_.front().bytes),
                   [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                     self->on_write(ec);
                   });
}

void SseSession::on_write(boost::system::error_code ec) {
  writing_ = false;
  auto done = std::move(queue_.front());
  queue_.pop_front();
  if (done.counted) {
    core_->sent(done.bytes.size());
    wrote_since_beat_ = true;
  }
  if (ec || ended_) {
    return end();
  }
  if (!queue_.empty()) {
    return do_write();
  }
  if (close_when_flushed_) {
    end();
  }
}

void SseSession::arm_heartbeat() {
  const auto interval = state_->config().sse_heartbeat_interval;
  if (interval <= std::chrono::milliseconds::zero()) {
    return;
  }
  heartbeat_.expires_after(interval);
  heartbeat_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->ended_) {
      return;
    }
    // Only an idle connection needs one: an event written meanwhile proved it alive.
    if (!self->wrote_since_beat_ && !self->writing_) {
      self->queue(": keep-alive\n\n", false);
    }
    self->wrote_since_beat_ = false;
    self->arm_heartbeat();
  });
}

void SseSession::post_write(std::string bytes) {
  net::post(socket_.get_executor(),
            [self = shared_from_this(), bytes = std::move(bytes)]() mutable {
              self->queue(std::move(bytes), true);
            });
}

void SseSession::post_close() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->end_when_flushed();  // what the process sent before it stopped goes first
  });
}

void SseSession::end_when_flushed() {
  close_when_flushed_ = true;
  if (!writing_ && queue_.empty()) {
    end();
  }
}

void SseSession::close() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    if (!self->core_) {
      return self->end();
    }
    // The server is stopping: events sent from now on fail, those sent before are written
    // (stop() waits for that, up to its shutdown_timeout), then the stream ends. Sends that
    // got in before mark_closed have posted their bytes already, but behind this handler:
    // whether anything is left to write is known once those have run.
    self->core_->mark_closed();
    self->close_when_flushed_ = true;
    net::post(self->socket_.get_executor(), [self] { self->end_when_flushed(); });
  });
}

void SseSession::end() {
  if (ended_ || !core_) {
    return;  // ended already, or not started (start() runs before any close can)
  }
  ended_ = true;
  core_->mark_closed();
  heartbeat_.cancel();
  // What is not in flight is dropped; the write in flight, if any, fails on the closed socket
  // and its handler accounts for it.
  while (queue_.size() > (writing_ ? 1u : 0u)) {
    if (queue_.back().counted) {
      core_->sent(queue_.back().bytes.size());
    }
    queue_.pop_back();
  }
  boost::system::error_code ignored;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  notify_ended();
}

void SseSession::notify_ended() {
  if (notified_) {
    return;
  }
  notified_ = true;
  // A process that has already ended needs no news: ignore owner_gone.
  if (process_ != process::Pid{}) {
    (void)process::detail::deliver(process_, core_->end_tag, std::make_shared<Ended>());
  }
}

}  // namespace dream::servers::beast::detail
