// The live dashboard: GET /stats is a stream of "stats" events (Server-Sent Events); each
// one replaces the numbers shown. EventSource reconnects by itself if the stream drops.
(function () {
  "use strict";

  const users = document.getElementById("users");
  const rate = document.getElementById("rate");
  const messages = document.getElementById("messages");
  const status = document.getElementById("stream-status");

  const source = new EventSource("/stats");
  source.addEventListener("open", function () {
    status.textContent = "Live";
    status.classList.remove("offline");
  });
  source.addEventListener("error", function () {
    status.textContent = "Reconnecting…";
    status.classList.add("offline");
  });
  source.addEventListener("stats", function (event) {
    const stats = JSON.parse(event.data);
    users.textContent = String(stats.users);
    rate.textContent = String(stats.messages_per_second);
    messages.textContent = String(stats.messages);
  });
})();
