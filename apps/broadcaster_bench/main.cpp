// broadcaster_bench: one publisher, N subscriber actors, M messages. Prints deliveries per
// second through our broadcaster and, in the same run, through a bare CAF actor that enqueues
// one shared message to the same N actors (the floor we measure against).
// Rounds alternate A B A B so drift on the machine hits both alike. See docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message.hpp>
#include <caf/send.hpp>

#include "dream/actor.hpp"
#include "dream/services/broadcaster.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace broadcaster = dream::services::broadcaster;

struct Options {
  int subscribers = 1000;
  int messages = 200;
  int rounds = 9;
  std::size_t threads = 0;
};

// A chat-sized payload: 64 bytes of text, as in the project's other benchmarks.
const std::string payload(64, 'x');

// --- our broadcaster ------------------------------------------------------------------------
struct Subscriber {
  broadcaster::Broadcaster<std::string> bus;
  std::latch* ready;
  std::latch* done;
  int expected;
  int received = 0;
};

dream::actor::Initialised<Subscriber, std::string> subscriber_init(
    dream::process::Subject<std::string>, const Subscriber& s) {
  auto channel = broadcaster::subscribe(s.bus);
  s.ready->count_down();  // the subscription is in the broadcaster's mailbox, ahead of any publish
  return {s, broadcaster::channel_to_selector(channel)};
}

dream::actor::Next<Subscriber, std::string> subscriber(Subscriber s, const std::string&) {
  if (++s.received == s.expected) {
    s.done->count_down();
  }
  return dream::actor::continue_with(std::move(s));
}

double run_dream(const Options& o) {
  dream::Runtime runtime(dream::RuntimeConfig{o.threads});
  auto bus = broadcaster::start_broadcaster<std::string>(runtime).value();
  std::latch ready(o.subscribers);
  std::latch done(o.subscribers);
  for (int i = 0; i < o.subscribers; ++i) {
    (void)dream::actor::start_with_init(runtime, Subscriber{bus, &ready, &done, o.messages},
                                        subscriber_init, subscriber)
        .value();
  }
  ready.wait();
  const auto start = Clock::now();
  for (int m = 0; m < o.messages; ++m) {
    (void)broadcaster::publish(bus, payload);
  }
  done.wait();
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  return double(o.subscribers) * o.messages / elapsed.count();
}

// --- the bare CAF floor ---------------------------------------------------------------------
caf::behavior bare_subscriber(caf::event_based_actor*, int expected, std::latch* done) {
  auto received = std::make_shared<int>(0);
  return {
      [=](const std::string&) {
        if (++*received == expected) {
          done->count_down();
        }
      },
  };
}

// Fans each message out from inside an actor, as the broadcaster does, so both sides enqueue
// with a worker's execution context: the difference is our layer alone.
caf::behavior bare_publisher(caf::event_based_actor* self, const std::vector<caf::actor>* actors,
                             int messages) {
  return {
      [=](int) {
        for (int m = 0; m < messages; ++m) {
          auto message = caf::make_message(payload);  // built once, shared by every recipient
          for (const auto& a : *actors) {
            a->enqueue(nullptr, caf::make_message_id(), message, self->context());
          }
        }
        self->quit();
      },
  };
}

double run_bare(const Options& o) {
  dream::Runtime runtime(dream::RuntimeConfig{o.threads});
  auto& system = runtime.system();
  std::latch done(o.subscribers);
  std::vector<caf::actor> actors;
  actors.reserve(o.subscribers);
  for (int i = 0; i < o.subscribers; ++i) {
    actors.push_back(system.spawn(bare_subscriber, o.messages, &done));
  }
  auto publisher = system.spawn(bare_publisher, &actors, o.messages);
  const auto start = Clock::now();
  caf::anon_send(publisher, 1);
  done.wait();
  const std::chrono::duration<double> elapsed = Clock::now() - start;
  for (const auto& a : actors) {
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  }
  return double(o.subscribers) * o.messages / elapsed.count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int parse(std::string_view flag, const char* value) {
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  if (end == value || *end != '\0' || n < 0 || n > 10'000'000) {
    std::fprintf(stderr, "broadcaster_bench: %.*s needs a whole number, not '%s'\n",
                 int(flag.size()), flag.data(), value);
    std::exit(2);
  }
  return int(n);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help") {
      std::puts(
          "usage: broadcaster_bench [--subscribers N] [--messages M] [--rounds R] [--threads T]\n"
          "  defaults: N=1000 M=200 R=9, T=0 (one scheduler thread per core)");
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "broadcaster_bench: %s needs a value (see --help)\n", argv[i]);
      std::exit(2);
    }
    const int value = parse(flag, argv[++i]);
    if (flag == "--subscribers") {
      o.subscribers = std::max(value, 1);
    } else if (flag == "--messages") {
      o.messages = std::max(value, 1);
    } else if (flag == "--rounds") {
      o.rounds = std::max(value, 1);
    } else if (flag == "--threads") {
      o.threads = std::size_t(value);
    } else {
      std::fprintf(stderr, "broadcaster_bench: unknown flag %s (see --help)\n", argv[i - 1]);
      std::exit(2);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  std::printf("broadcaster_bench: %d subscribers, %d messages of %zu bytes, %d rounds\n",
              o.subscribers, o.messages, payload.size(), o.rounds);
  std::vector<double> ours;
  std::vector<double> floor;
  for (int r = 1; r <= o.rounds; ++r) {
    ours.push_back(run_dream(o));
    floor.push_back(run_bare(o));
    std::printf("round %d: broadcaster %8.3f M deliveries/s   bare CAF %8.3f M deliveries/s\n", r,
                ours.back() / 1e6, floor.back() / 1e6);
  }
  const double a = median(ours);
  const double b = median(floor);
  std::printf("median:  broadcaster %8.3f M deliveries/s   bare CAF %8.3f M deliveries/s\n",
              a / 1e6, b / 1e6);
  std::printf("bare CAF / broadcaster = %.2f (aim: at most 1.5)\n", b / a);
  std::printf(
      "RESULT subscribers=%d messages=%d broadcaster_per_s=%.0f bare_caf_per_s=%.0f "
      "ratio=%.3f\n",
      o.subscribers, o.messages, a, b, b / a);
  return 0;
}
