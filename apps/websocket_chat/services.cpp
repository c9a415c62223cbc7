#include "services.hpp"

#include "services/chat_service.hpp"

namespace chat {

Services initialize(dream::Runtime& runtime, std::filesystem::path assets,
                    std::optional<std::string> token) {
  return Services{services::start_chat_broadcaster(runtime), std::move(assets), std::move(token)};
}

}  // namespace chat
