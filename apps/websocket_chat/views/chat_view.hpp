#pragma once

#include <string>

namespace chat::views::chat_view {

/// The chat page: a welcome screen to enter a name, and the chat screen that replaces it
/// once connected (assets/scripts/chat.js drives both).
std::string render_page();

}  // namespace chat::views::chat_view
