#include "dream/servers/beast/sse.hpp"

#include <string_view>

#include "../../log.hpp"
#include "sse_core.hpp"
#include "sse_session.hpp"

namespace dream::servers::beast::sse {
namespace {

class SendErrorCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "dream.sse"; }
  std::string message(int code) const override {
    switch (static_cast<SendError>(code)) {
      case SendError::socket_closed:
        return "the SSE connection is closed";
      case SendError::backpressure:
        return "the SSE outbound queue is full";
    }
    return "unknown dream.sse error " + std::to_string(code);
  }
};

// A field value cannot hold a line break (it would end the field and let the rest be read
// as fields of its own), nor, for ids, a NUL (browsers then ignore the id).
std::string without(std::string value, std::string_view forbidden) {
  std::erase_if(value, [&](char c) { return forbidden.find(c) != std::string_view::npos; });
  return value;
}

}  // namespace

Event event_name(Event e, std::string name) {
  e.name = without(std::move(name), "\r\n");
  return e;
}

Event event_id(Event e, std::string id) {
  e.id = without(std::move(id), std::string_view("\r\n\0", 3));
  return e;
}

std::string serialize(const Event& e) {
  std::string out;
  // Fields are cleaned again here: an Event's members are public and may be set directly.
  if (e.name) {
    out += "event: " + without(*e.name, "\r\n") + "\n";
  }
  if (e.id) {
    out += "id: " + without(*e.id, std::string_view("\r\n\0", 3)) + "\n";
  }
  if (e.retry_ms) {
    out += "retry: " + std::to_string(*e.retry_ms) + "\n";
  }
  // Each line of the data is a data: field; the client joins them with LF. CRLF, CR and LF
  // all end a line on the wire, so each counts as one break here.
  std::string_view rest = e.data;
  while (true) {
    const auto end = rest.find_first_of("\r\n");
    out += "data: ";
    out += rest.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) {
      break;
    }
    const bool crlf = rest[end] == '\r' && end + 1 < rest.size() && rest[end + 1] == '\n';
    rest.remove_prefix(end + (crlf ? 2 : 1));
  }
  return out + "\n";
}

const std::error_category& send_error_category() noexcept {
  static const SendErrorCategory category;
  return category;
}

std::error_code make_error_code(SendError e) noexcept {
  return {static_cast<int>(e), send_error_category()};
}

namespace detail {

std::error_code SseCore::send(std::string bytes) {
  if (closed_.load(std::memory_order_acquire)) {
    return make_error_code(SendError::socket_closed);
  }
  const auto cost = bytes.size() + overhead;
  if (queued_.fetch_add(cost, std::memory_order_relaxed) + cost > max_queue_bytes_) {
    queued_.fetch_sub(cost, std::memory_order_relaxed);
    return make_error_code(SendError::backpressure);
  }
  bool reached = false;
  {
    std::lock_guard lock(send_mutex_);
    if (closed_.load(std::memory_order_relaxed)) {
      queued_.fetch_sub(cost, std::memory_order_relaxed);
      return make_error_code(SendError::socket_closed);
    }
    state_->reach_io([&] {
      if (auto session = session_.lock()) {
        session->post_write(std::move(bytes));
        reached = true;
      }
    });
  }
  if (!reached) {
    queued_.fetch_sub(cost, std::memory_order_relaxed);
    return make_error_code(SendError::socket_closed);
  }
  return {};
}

void SseCore::close() {
  mark_closed();  // sends after this fail at once, before the session has even seen it
  state_->reach_io([&] {
    if (auto session = session_.lock()) {
      session->post_close();
    }
  });
}

std::error_code send_bytes(SseCore& core, std::string bytes) {
  return core.send(std::move(bytes));
}

bool is_end(const SseCore& core, std::uint64_t tag) noexcept {
  return tag == core.end_tag;
}

void close(SseCore& core) {
  core.close();
}

void log_handler_error(const char* handler, const char* what) {
  dream::detail::log_error("sse {} threw: {}; ending the connection", handler, what);
}

http::Response sse_response(std::shared_ptr<const dream::detail::SseUpgrade> upgrade) {
  http::Response response;
  response.headers.set("Content-Type", "text/event-stream");
  response.headers.set("Cache-Control", "no-cache");
  response.sse = std::move(upgrade);
  return response;
}

LastEventId last_event_id(const http::Request& request) {
  if (auto id = request.header("Last-Event-ID")) {
    return std::string(*id);
  }
  return std::nullopt;
}

}  // namespace detail
}  // namespace dream::servers::beast::sse
