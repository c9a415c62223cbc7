#include "dream/process/inbox.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <variant>

#include "delivery.hpp"
#include "dream/process/current.hpp"
#include "dream/process/detail/process_body.hpp"
#include "process_cell.hpp"

// An Inbox is a small process (the proxy) that puts everything it receives in a queue the
// owning thread waits on. The thread side is a plain mutex and condition variable, which keeps
// CAF's scheduler out of the calling thread and every hand-off visible to ThreadSanitizer.
namespace dream::process {
namespace detail {
namespace {

struct InboxQueue {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<InboxItem> items;  // in arrival order

  void push(InboxItem item) {
    {
      std::lock_guard lock(mutex);
      items.push_back(std::move(item));
    }
    arrived.notify_one();
  }
};

struct MonitorRequest {
  Pid pid;
};
struct StopRequest {};
using Control = std::variant<MonitorRequest, StopRequest>;

class InboxBody final : public ProcessBody {
 public:
  InboxBody(std::shared_ptr<InboxQueue> queue, std::uint64_t control_tag)
      : queue_(std::move(queue)), control_tag_(control_tag) {}

  Step init() override { return Step::proceed; }

  Step on_message(std::uint64_t tag, std::shared_ptr<const void> payload) override {
    if (tag != control_tag_) {
      queue_->push(Envelope{tag, std::move(payload)});
      return Step::proceed;
    }
    const auto& control = *static_cast<const Control*>(payload.get());
    if (const auto* request = std::get_if<MonitorRequest>(&control)) {
      monitor(request->pid);
      return Step::proceed;
    }
    return Step::stop;
  }

  Step on_down(const Down& down) override {
    queue_->push(down);
    return Step::proceed;
  }

 private:
  std::shared_ptr<InboxQueue> queue_;
  std::uint64_t control_tag_;
};

}  // namespace
}  // namespace detail

struct Inbox::Impl {
  std::shared_ptr<detail::InboxQueue> queue = std::make_shared<detail::InboxQueue>();
  std::uint64_t control_tag = detail::next_tag();
  Pid pid;
  caf::strong_actor_ptr proxy;

  void control(detail::Control c) const {
    detail::enqueue(proxy, control_tag, std::make_shared<detail::Control>(std::move(c)));
  }
};

Inbox::Inbox(Runtime& runtime) : impl_(std::make_unique<Impl>()) {
  impl_->pid =
      detail::spawn(runtime, std::make_unique<detail::InboxBody>(impl_->queue, impl_->control_tag));
  impl_->proxy = detail::resolve(impl_->pid);
  if (!impl_->proxy) {
    throw std::system_error(make_error_code(Errc::runtime_stopped), "dream::process::Inbox");
  }
}

Inbox::~Inbox() {
  // Sends to this inbox fail from here on, before its proxy has even seen the stop.
  impl_->pid.cell()->alive.store(false, std::memory_order_release);
  impl_->control(detail::StopRequest{});
}

const Pid& Inbox::pid() const noexcept {
  return impl_->pid;
}

void Inbox::monitor(const Pid& pid) {
  if (!pid.cell()) {
    // Checked here, on the caller's thread: in the proxy it would end the proxy instead.
    throw std::invalid_argument("Inbox::monitor: this Pid names no process");
  }
  impl_->control(detail::MonitorRequest{pid});
}

void Inbox::put_back(Item item) {
  std::lock_guard lock(impl_->queue->mutex);
  impl_->queue->items.push_front(std::move(item));
}

std::optional<Down> Inbox::receive_down(std::chrono::milliseconds timeout) {
  auto item = take([](const Item& i) { return std::holds_alternative<Down>(i); }, timeout);
  if (!item) {
    return std::nullopt;
  }
  return std::get<Down>(std::move(*item));
}

std::optional<Inbox::Item> Inbox::take(const std::function<bool(const Item&)>& wanted,
                                       std::chrono::milliseconds timeout) {
  auto& queue = *impl_->queue;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(queue.mutex);
  std::size_t checked = 0;  // items before this index were not wanted
  for (;;) {
    for (auto it = queue.items.begin() + static_cast<std::ptrdiff_t>(checked);
         it != queue.items.end(); ++it, ++checked) {
      if (wanted(*it)) {
        Item item = std::move(*it);
        queue.items.erase(it);
        return item;
      }
    }
    if (queue.arrived.wait_until(lock, deadline) == std::cv_status::timeout &&
        queue.items.size() == checked) {
      return std::nullopt;
    }
  }
}

}  // namespace dream::process
