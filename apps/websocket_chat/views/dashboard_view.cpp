#include "views/dashboard_view.hpp"

namespace chat::views::dashboard_view {

std::string render_page() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Dream Chat Dashboard</title>
  <link rel="stylesheet" href="/assets/styles/chat.css">
</head>
<body>
  <main class="app dashboard">
    <h1>Dream Chat Dashboard</h1>
    <dl class="stats">
      <div><dt>Users connected</dt><dd id="users">–</dd></div>
      <div><dt>Messages per second</dt><dd id="rate">–</dd></div>
      <div><dt>Messages in all</dt><dd id="messages">–</dd></div>
    </dl>
    <p id="stream-status" class="stream-status">Connecting…</p>
    <p><a href="/">Back to the chat</a></p>
  </main>
  <script src="/assets/scripts/dashboard.js"></script>
</body>
</html>
)html";
}

}  // namespace chat::views::dashboard_view
