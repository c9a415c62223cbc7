// The benchmark's peer: the chat demo's protocol (apps/websocket_chat) on Node's ws package,
// one process, no cluster. `node server.js --port P [--host ADDR]`; port 0 picks a free one.
// Prints exactly one line, `listening on PORT`, to stdout once it listens.
//
// Protocol (the same as controllers/chat.cpp):
//   GET /chat?user=NAME[&announce=0]  a WebSocket; NAME percent-decoded ('+' is a space),
//                                     "Anonymous" when absent or empty, 400 if not UTF-8.
//   on connect   {"type":"joined","user":NAME} to every client, the new one included
//   text frame T {"type":"message","user":NAME,"text":T} to every client, the sender included
//   on close     {"type":"left","user":NAME} to every remaining client
//   binary frames are ignored; announce=0 makes a full member whose join and leave are silent.
'use strict';

const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

// Like our server's ServerConfig::max_websocket_queue_bytes: a client that does not read
// loses messages rather than growing the server's memory without bound.
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--port') {
      const port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) fail(`--port needs a number from 0 to 65535`);
      options.port = port;
    } else if (flag === '--host') {
      options.host = value;
    } else {
      fail(`unknown option ${flag}`);
    }
  }
  return options;
}

function fail(message) {
  process.stderr.write(`node_chat: ${message}\nusage: node server.js [--port N] [--host ADDR]\n`);
  process.exit(2);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// RFC 3986's query: what Boost.URL's parse_query accepts.
const validQuery = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

// The query's parameters as our server's Request::query_param sees them: none at all if the
// query is not a valid one; keys and values percent-decoded with '+' as a space; the first of
// a repeated key counts; a value whose bytes are not UTF-8 is null.
function queryParams(search) {
  const params = new Map();
  if (!validQuery.test(search)) return params;
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (!params.has(key)) params.set(key, decode(eq < 0 ? '' : pair.slice(eq + 1)));
  }
  return params;
}

// Percent-decodes an ASCII string (the query was validated) into UTF-8 text, or null.
function decode(raw) {
  const bytes = Buffer.from(raw.replace(/\+/g, ' '), 'latin1');
  let length = 0;
  for (let i = 0; i < bytes.length; ++i) {
    if (bytes[i] === 0x25) {
      bytes[length++] = parseInt(bytes.toString('latin1', i + 1, i + 3), 16);
      i += 2;
    } else {
      bytes[length++] = bytes[i];
    }
  }
  try {
    return utf8.decode(bytes.subarray(0, length));
  } catch {
    return null;
  }
}

const clients = new Set();

// One JSON text and one Buffer per broadcast, sent to every open client as a text frame.
function broadcast(message) {
  const payload = Buffer.from(JSON.stringify(message));
  for (const client of clients) {
    if (client.readyState !== WebSocket.OPEN) continue;
    if (client.bufferedAmount > MAX_QUEUED_BYTES) {
      process.stderr.write(`[chat] error: ${JSON.stringify(client.user)} is not reading; a message to them was dropped\n`);
      continue;
    }
    client.send(payload, { binary: false });
  }
}

const homePage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Node chat (benchmark peer)</title></head>
<body><p>The chat protocol on Node's ws package: connect a WebSocket to /chat?user=NAME.</p></body>
</html>
`;

const server = http.createServer((request, response) => {
  const path = request.url.split('?')[0];
  if (request.method === 'GET' && path === '/') {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(homePage);
  } else {
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not Found\n');
  }
});

// ws's defaults for a server, perMessageDeflate off (its default) said explicitly.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

function refuse(socket, status, reason) {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n` +
      `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

server.on('upgrade', (request, socket, head) => {
  const question = request.url.indexOf('?');
  const path = question < 0 ? request.url : request.url.slice(0, question);
  if (request.method !== 'GET' || path !== '/chat') {
    refuse(socket, 404, 'Not Found');
    return;
  }
  const params = queryParams(question < 0 ? '' : request.url.slice(question + 1));
  let user = params.has('user') ? params.get('user') : 'Anonymous';
  if (user === null) {
    refuse(socket, 400, 'the user name must be valid UTF-8');
    return;
  }
  if (user === '') user = 'Anonymous';
  const announce = params.get('announce') !== '0';
  wss.handleUpgrade(request, socket, head, (ws) => join(ws, user, announce));
});

function join(ws, user, announce) {
  ws.user = user;
  clients.add(ws); // first: the join notice reaches this connection too
  if (announce) broadcast({ type: 'joined', user });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return; // binary frames are ignored
    broadcast({ type: 'message', user, text: data.toString('utf8') });
  });
  ws.on('error', () => {}); // a protocol error closes the connection; 'close' follows
  ws.on('close', () => {
    clients.delete(ws);
    if (announce) broadcast({ type: 'left', user });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(0));
}

const options = parseArgs(process.argv.slice(2));
server.listen(options.port, options.host, () => {
  process.stdout.write(`listening on ${server.address().port}\n`);
});
