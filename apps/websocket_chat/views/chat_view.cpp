#include "views/chat_view.hpp"

namespace chat::views::chat_view {

std::string render_page() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Dream WebSocket Chat</title>
  <link rel="stylesheet" href="/assets/styles/chat.css">
</head>
<body>
  <main class="app">
    <section id="welcome-screen" class="welcome-screen">
      <h1>Dream WebSocket Chat</h1>
      <p>Enter your name to join the chat</p>
      <form id="join-form">
        <input id="name-input" type="text" placeholder="Your name" maxlength="40" autofocus required>
        <button id="join-button" type="submit">Join Chat</button>
      </form>
      <p id="join-error" class="join-error hidden" role="alert"></p>
    </section>
    <section id="chat-screen" class="chat-screen hidden">
      <header class="chat-header">
        <h1>Dream WebSocket Chat</h1>
        <span id="current-user" class="current-user"></span>
      </header>
      <ul id="messages" class="messages" aria-live="polite"></ul>
      <form id="message-form" class="message-form">
        <input id="message-input" type="text" placeholder="Type a message" autocomplete="off">
        <button id="send-button" type="submit">Send</button>
      </form>
    </section>
  </main>
  <script src="/assets/scripts/chat.js"></script>
</body>
</html>
)html";
}

}  // namespace chat::views::chat_view
