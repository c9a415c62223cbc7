// The chat page's client: joins with a name, shows live messages and join/leave notices, and
// returns to the name screen when the connection ends.
(function () {
  "use strict";

  const welcomeScreen = document.getElementById("welcome-screen");
  const chatScreen = document.getElementById("chat-screen");
  const joinForm = document.getElementById("join-form");
  const nameInput = document.getElementById("name-input");
  const messageForm = document.getElementById("message-form");
  const messageInput = document.getElementById("message-input");
  const messages = document.getElementById("messages");
  const currentUser = document.getElementById("current-user");
  const joinError = document.getElementById("join-error");

  // A token in the page's own URL (?token=...) is passed on to the WebSocket upgrade.
  const token = new URLSearchParams(window.location.search).get("token");

  let ws = null;
  let myName = "";

  function chatUrl(name) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const params = new URLSearchParams({ user: name });
    if (token) {
      params.set("token", token);
    }
    return `${scheme}://${window.location.host}/chat?${params}`;
  }

  function show(screen) {
    welcomeScreen.classList.toggle("hidden", screen !== "welcome");
    chatScreen.classList.toggle("hidden", screen !== "chat");
  }

  // Text goes in with textContent only: a message can never inject markup.
  function append(className, parts) {
    const item = document.createElement("li");
    item.className = className;
    for (const [partClass, text] of parts) {
      const span = document.createElement("span");
      span.className = partClass;
      span.textContent = text;
      item.appendChild(span);
    }
    messages.appendChild(item);
    messages.scrollTop = messages.scrollHeight;
  }

  function receive(event) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (data.type === "message") {
      const own = data.user === myName;
      append(own ? "message own" : "message", [["user", data.user], ["text", data.text]]);
    } else if (data.type === "joined") {
      append("notification joined", [["text", `${data.user} joined the chat`]]);
    } else if (data.type === "left") {
      append("notification left", [["text", `${data.user} left the chat`]]);
    }
  }

  function join(name) {
    if (ws) {
      return; // already joining or joined: a second submit opens no second socket
    }
    myName = name;
    joinError.classList.add("hidden");
    const socket = new WebSocket(chatUrl(name));
    let opened = false;
    ws = socket;
    socket.addEventListener("open", () => {
      opened = true;
      currentUser.textContent = name;
      messages.replaceChildren();
      show("chat");
      messageInput.focus();
    });
    socket.addEventListener("message", receive);
    socket.addEventListener("close", () => {
      if (ws !== socket) {
        return;
      }
      ws = null;
      if (!opened) {
        joinError.textContent = token
          ? "Could not connect: is the token in the page's address right?"
          : "Could not connect. If this chat needs a token, open it as /?token=...";
        joinError.classList.remove("hidden");
      }
      show("welcome");
      nameInput.focus();
    });
  }

  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (name) {
      join(name);
    }
  });

  messageForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = messageInput.value;
    if (ws && ws.readyState === WebSocket.OPEN && text.trim()) {
      ws.send(text);
      messageInput.value = "";
    }
  });
})();
