#include "services/chat_service.hpp"

namespace chat::services {

dream::services::broadcaster::Broadcaster<types::ChatMessage> start_chat_broadcaster(
    dream::Runtime& runtime) {
  return dream::services::broadcaster::start_broadcaster<types::ChatMessage>(runtime).value();
}

}  // namespace chat::services
