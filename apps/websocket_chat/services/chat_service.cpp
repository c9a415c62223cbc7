#include "services/chat_service.hpp"

namespace chat::services {

dream::services::broadcaster::Broadcaster<types::ChatEvent> start_chat_broadcaster(
    dream::Runtime& runtime) {
  return dream::services::broadcaster::start_broadcaster<types::ChatEvent>(runtime).value();
}

}  // namespace chat::services
