#include "services.hpp"

#include "services/chat_service.hpp"

namespace chat {

Services initialize(dream::Runtime& runtime, std::filesystem::path assets,
                    std::optional<std::string> token, std::chrono::milliseconds stats_interval) {
  auto pubsub = services::start_chat_broadcaster(runtime);
  auto stats = services::start_stats_service(runtime, pubsub, stats_interval);
  return Services{std::move(pubsub), std::move(assets), std::move(token), std::move(stats)};
}

}  // namespace chat
