#include "fleet.hpp"

namespace dream_bench {

namespace {

struct Opening {
  boost::asio::io_context& io;
  Target target;
  std::size_t count;
  std::function<std::string(std::size_t)> target_of;
  std::function<ChatClient::TextHandler(std::size_t)> handler_of;
  std::function<void(std::vector<std::shared_ptr<ChatClient>>, std::string)> done;
  std::vector<std::shared_ptr<ChatClient>> clients;
  std::size_t started = 0;
  std::size_t finished = 0;
  bool failed = false;
};

void open_next(const std::shared_ptr<Opening>& opening) {
  if (opening->failed || opening->started == opening->count) {
    return;
  }
  const auto i = opening->started++;
  auto client = std::make_shared<ChatClient>(opening->io, opening->handler_of(i));
  opening->clients[i] = client;
  const auto& sources = opening->target.sources;
  const auto source = sources.empty() ? std::string() : sources[i % sources.size()];
  client->connect(opening->target.server, source, opening->target_of(i),
                  [opening, i](const std::string& error) {
                    if (opening->failed) {
                      return;
                    }
                    if (!error.empty()) {
                      opening->failed = true;
                      return opening->done({}, "connection " + std::to_string(i) + ": " + error);
                    }
                    if (++opening->finished == opening->count) {
                      return opening->done(std::move(opening->clients), "");
                    }
                    open_next(opening);
                  });
}

}  // namespace

void connect_all(boost::asio::io_context& io, const Target& target, std::size_t count,
                 std::function<std::string(std::size_t)> target_of,
                 std::function<ChatClient::TextHandler(std::size_t)> handler_of,
                 std::function<void(std::vector<std::shared_ptr<ChatClient>>, std::string)> done) {
  auto opening = std::make_shared<Opening>(
      Opening{io, target, count, std::move(target_of), std::move(handler_of), std::move(done),
              std::vector<std::shared_ptr<ChatClient>>(count)});
  if (count == 0) {
    return opening->done({}, "");
  }
  for (std::size_t k = 0; k < target.in_flight && k < count; ++k) {
    open_next(opening);
  }
}

void stop_after(boost::asio::io_context& io, boost::asio::steady_timer& deadline,
                std::chrono::seconds timeout, std::string& failure) {
  deadline.expires_after(timeout);
  deadline.async_wait([&io, &failure, timeout](boost::system::error_code ec) {
    if (!ec) {
      failure = "timed out after " + std::to_string(timeout.count()) + " s";
      io.stop();
    }
  });
}

void repeat(boost::asio::steady_timer& timer, std::chrono::milliseconds interval,
            std::function<bool()> tick) {
  if (!tick()) {
    return;
  }
  timer.expires_after(interval);
  timer.async_wait(
      [&timer, interval, tick = std::move(tick)](boost::system::error_code ec) mutable {
        if (!ec) {
          repeat(timer, interval, std::move(tick));
        }
      });
}

std::string quiet_member(const std::string& name) {
  return "/chat?user=" + name + "&announce=0";
}

}  // namespace dream_bench
