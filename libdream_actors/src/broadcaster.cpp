#include "dream/services/broadcaster.hpp"

#include <algorithm>
#include <future>
#include <unordered_map>
#include <variant>
#include <vector>

#include "delivery.hpp"
#include "dream/process/detail/process_body.hpp"
#include "log.hpp"

namespace dream::services::broadcaster::detail {

struct Subscribe {
  process::Pid pid;
  std::uint64_t tag = 0;
};
struct Unsubscribe {
  std::uint64_t tag = 0;
};
struct Publish {
  std::shared_ptr<const void> payload;
};
struct Count {
  // Broken (so the caller hears "stopped" at once) if the broadcaster ends before answering.
  std::shared_ptr<std::promise<std::size_t>> reply;
};
struct Stop {};
/// Sent by the broadcaster to itself: deliver what has been published since the last one.
struct Flush {};

struct Command {
  std::variant<Subscribe, Unsubscribe, Publish, Count, Stop, Flush> what;
};

namespace {

using process::detail::Step;

/// The broadcaster process: a subscriber list it fans payloads out to, pruned by monitors.
class BroadcasterBody final : public process::detail::ProcessBody {
 public:
  explicit BroadcasterBody(std::uint64_t tag) : tag_(tag) {}

  Step init() override { return Step::proceed; }

  Step on_message(std::uint64_t tag, std::shared_ptr<const void> payload) override {
    if (tag != tag_) {
      return Step::proceed;
    }
    const auto& command = *static_cast<const Command*>(payload.get());
    return std::visit([this](const auto& c) { return handle(c); }, command.what);
  }

  Step on_down(const process::Down& down) override {
    fan_out();
    std::erase_if(subscribers_, [&](const Subscriber& s) { return s.pid == down.pid; });
    per_process_.erase(down.pid.id());
    return Step::proceed;
  }

 private:
  struct Subscriber {
    std::uint64_t tag;
    process::Pid pid;
    caf::strong_actor_ptr target;  // resolved once, so fan-out costs one enqueue each
  };

  Step handle(const Subscribe& c) {
    fan_out();  // what was published before this subscription does not reach it
    auto target = process::detail::resolve(c.pid);
    if (!target) {
      return Step::proceed;  // ended before we heard of it: nothing to deliver to
    }
    subscribers_.push_back(Subscriber{c.tag, c.pid, std::move(target)});
    if (per_process_[c.pid.id()]++ == 0) {
      process::monitor(c.pid);
    }
    return Step::proceed;
  }

  Step handle(const Unsubscribe& c) {
    fan_out();
    auto it = std::find_if(subscribers_.begin(), subscribers_.end(),
                           [&](const Subscriber& s) { return s.tag == c.tag; });
    if (it == subscribers_.end()) {
      return Step::proceed;
    }
    process::Pid pid = it->pid;
    subscribers_.erase(it);
    if (--per_process_[pid.id()] == 0) {
      per_process_.erase(pid.id());
      process::demonitor(pid);
    }
    return Step::proceed;
  }

  // Publishes wait until the Flush this broadcaster sends itself comes round: every publish
  // that arrived meanwhile goes to each subscriber in one batch, in order.
  Step handle(const Publish& c) {
    pending_.push_back(c.payload);
    if (!flush_sent_) {
      flush_sent_ = !process::detail::deliver(process::self(), tag_,
                                              std::make_shared<Command>(Command{Flush{}}));
      if (!flush_sent_) {
        fan_out();  // cannot happen while we run; deliver at once rather than never
      }
    }
    return Step::proceed;
  }

  Step handle(const Flush&) {
    flush_sent_ = false;
    fan_out();
    return Step::proceed;
  }

  void fan_out() {
    if (pending_.size() == 1) {
      for (const auto& s : subscribers_) {
        process::detail::enqueue(s.target, s.tag, pending_.front());
      }
    } else if (pending_.size() > 1) {
      auto batch = std::make_shared<process::detail::Batch>();
      batch->payloads = std::move(pending_);
      for (const auto& s : subscribers_) {
        process::detail::enqueue(s.target, s.tag, batch, true);
      }
    }
    pending_.clear();
  }

  Step handle(const Count& c) {
    fan_out();
    c.reply->set_value(subscribers_.size());
    return Step::proceed;
  }

  Step handle(const Stop&) {
    fan_out();  // published before the stop: delivered
    return Step::stop;
  }

  std::uint64_t tag_;
  std::vector<Subscriber> subscribers_;
  std::unordered_map<std::uint64_t, std::size_t> per_process_;  // pid id -> subscriptions
  std::vector<std::shared_ptr<const void>> pending_;            // published, not yet fanned out
  bool flush_sent_ = false;
};

// Takes the alternative, not a Command, so the variant is built once, in place in the
// message (moving a variant also trips a false -Wmaybe-uninitialized in GCC 12 at -O3).
template <class What>
std::error_code command(const Bus& bus, What what) {
  if (bus.stopped->load(std::memory_order_acquire)) {
    return make_error_code(process::Errc::broadcaster_stopped);
  }
  auto ec = process::detail::deliver(bus.commands.owner(), bus.commands.tag(),
                                     std::make_shared<Command>(Command{std::move(what)}));
  if (ec == process::Errc::owner_gone) {
    return make_error_code(process::Errc::broadcaster_stopped);
  }
  return ec;
}

}  // namespace

Result<Bus> start(Runtime& runtime) {
  const auto tag = process::detail::next_tag();
  auto pid = process::detail::spawn(runtime, std::make_unique<BroadcasterBody>(tag));
  if (pid == process::Pid{}) {
    return make_error_code(process::Errc::runtime_stopped);
  }
  return Bus{process::Subject<Command>(pid, tag), std::make_shared<std::atomic<bool>>(false)};
}

std::error_code subscribe(const Bus& bus, const process::Pid& subscriber, std::uint64_t tag) {
  auto ec = command(bus, Subscribe{subscriber, tag});
  if (ec) {
    dream::detail::log_error("broadcaster subscribe: {}; this channel will receive nothing",
                             ec.message());
  }
  return ec;
}

std::error_code unsubscribe(const Bus& bus, std::uint64_t tag) {
  return command(bus, Unsubscribe{tag});
}

std::error_code publish(const Bus& bus, std::shared_ptr<const void> payload) {
  return command(bus, Publish{std::move(payload)});
}

Result<std::size_t> count(const Bus& bus, std::chrono::milliseconds timeout) {
  auto reply = std::make_shared<std::promise<std::size_t>>();
  auto answer = reply->get_future();
  if (auto ec = command(bus, Count{std::move(reply)})) {
    return ec;
  }
  if (answer.wait_for(timeout) != std::future_status::ready) {
    return make_error_code(process::Errc::timeout);
  }
  try {
    return answer.get();
  } catch (const std::future_error&) {
    return make_error_code(process::Errc::broadcaster_stopped);
  }
}

std::error_code stop(const Bus& bus) {
  auto ec = command(bus, Stop{});
  bus.stopped->store(true, std::memory_order_release);
  return ec;
}

}  // namespace dream::services::broadcaster::detail
