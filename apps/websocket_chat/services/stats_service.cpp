#include "services/stats_service.hpp"

#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <variant>

#include <dream/actor.hpp>

namespace chat::services {

namespace broadcaster = dream::services::broadcaster;
namespace actor = dream::actor;
using types::ChatEvent;
using types::ChatMessage;
using types::ChatStats;

namespace {

/// Time to publish: sent by the ticker thread.
struct Tick {};
/// What the stats actor handles: the chat's messages and its ticks.
using StatsMessage = std::variant<ChatMessage, Tick>;

struct StatsState {
  broadcaster::Broadcaster<ChatStats> bus;
  ChatStats stats;
  std::uint64_t messages_at_last_tick = 0;
  std::chrono::steady_clock::time_point last_tick = std::chrono::steady_clock::now();
};

struct StatsSetup {
  broadcaster::Broadcaster<ChatStats> bus;
  broadcaster::Broadcaster<ChatEvent> chat;
};

StatsMessage as_stats_message(const ChatEvent& event) {
  return event.message;
}

actor::Initialised<StatsState, StatsMessage> init_stats(dream::process::Subject<StatsMessage>,
                                                        const StatsSetup& setup) {
  auto channel = broadcaster::subscribe(setup.chat);
  dream::process::Selector<StatsMessage> selector;
  selector.select_map(channel.subject(), as_stats_message);
  return {StatsState{setup.bus, {}, 0, std::chrono::steady_clock::now()}, std::move(selector)};
}

actor::Next<StatsState, StatsMessage> handle_stats(StatsState state, const StatsMessage& message) {
  if (const auto* chat = std::get_if<ChatMessage>(&message)) {
    if (std::holds_alternative<types::UserJoined>(*chat)) {
      ++state.stats.users;
    } else if (std::holds_alternative<types::UserLeft>(*chat) && state.stats.users > 0) {
      --state.stats.users;
    } else if (std::holds_alternative<types::TextMessage>(*chat)) {
      ++state.stats.messages;
    }
    return actor::continue_with(std::move(state));
  }
  const auto now = std::chrono::steady_clock::now();
  const std::chrono::duration<double> elapsed = now - state.last_tick;
  const auto said = state.stats.messages - state.messages_at_last_tick;
  state.stats.messages_per_second =
      elapsed.count() > 0 ? static_cast<std::uint64_t>(std::llround(said / elapsed.count())) : 0;
  state.messages_at_last_tick = state.stats.messages;
  state.last_tick = now;
  (void)broadcaster::publish(state.bus, state.stats);
  return actor::continue_with(std::move(state));
}

}  // namespace

/// Sends a Tick to the stats actor every interval, on a thread of its own (the process layer
/// has no timers), until destroyed.
class Ticker {
 public:
  Ticker(dream::process::Subject<StatsMessage> target, std::chrono::milliseconds interval)
      : thread_([this, target, interval] { run(target, interval); }) {}
  ~Ticker() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

 private:
  void run(const dream::process::Subject<StatsMessage>& target,
           std::chrono::milliseconds interval) {
    std::unique_lock lock(mutex_);
    // A tick is a product feature (the dashboard's rate), not a wait for something to happen.
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      if (dream::process::send(target, StatsMessage{Tick{}})) {
        continue;
      }
      return;  // the actor is gone (the runtime is shutting down)
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the members it uses exist
};

StatsService start_stats_service(dream::Runtime& runtime,
                                 const broadcaster::Broadcaster<ChatEvent>& chat,
                                 std::chrono::milliseconds interval) {
  auto bus = broadcaster::start_broadcaster<ChatStats>(runtime).value();
  auto started = actor::start_with_init<StatsState, StatsMessage, StatsSetup>(
                     runtime, StatsSetup{bus, chat}, init_stats, handle_stats)
                     .value();
  return StatsService{bus, std::make_shared<Ticker>(started.subject, interval)};
}

}  // namespace chat::services
