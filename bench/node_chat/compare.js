// Checks that the peer speaks our chat protocol: runs the same script of clients against our
// server and against server.js, and compares every frame each client received, byte for byte,
// and the HTTP status of refused upgrades. `node compare.js` from this directory; our server
// is build-bench's websocket_chat unless DREAM_SERVER_CMD names another command (which must
// print http://HOST:PORT/). Exit 0 when both agree; else each difference is printed.
'use strict';

const { spawn } = require('child_process');
const path = require('path');
const { WebSocket } = require('ws');

const root = path.resolve(__dirname, '..', '..');
const oursCommand = (process.env.DREAM_SERVER_CMD ||
  `${root}/build-bench/apps/websocket_chat/websocket_chat --port 0 --threads 1`).split(/\s+/);
const peerCommand = ['node', path.join(__dirname, 'server.js'), '--port', '0'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SETTLE_MS = 300; // after each step, for every frame it causes to arrive

function start(command, pattern) {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`${command[0]}: no port in 20 s`)), 20000);
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const match = pattern.exec(buffered);
      if (match && timer) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.on('error', reject);
  });
}

// One client: every frame it receives, in order, as `text ...` (text frames are UTF-8, so
// equal strings are equal bytes), `binary ...`, or how its upgrade failed.
function connect(port, query, log) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat${query}`);
    ws.on('message', (data, isBinary) => log.push(`${isBinary ? 'binary' : 'text'} ${data.toString('utf8')}`));
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (request, response) => {
      log.push(`refused ${response.statusCode}`);
      resolve(null);
    });
    ws.on('error', (error) => {
      log.push(`error ${error.message}`);
      resolve(null);
    });
  });
}

// Two sessions, each on a fresh chat: the protocol, then announce=0 (silent members).
async function script(port) {
  const logs = {};
  const clients = {};
  const join = async (name, query) => {
    logs[name] = [];
    clients[name] = await connect(port, query, logs[name]);
    await sleep(SETTLE_MS);
  };
  const send = async (name, data, options) => {
    clients[name].send(data, options);
    await sleep(SETTLE_MS);
  };
  const leave = async (name) => {
    clients[name].close();
    await sleep(SETTLE_MS);
  };
  const leaveAll = async () => {
    for (const name of Object.keys(clients)) {
      if (clients[name] && clients[name].readyState === WebSocket.OPEN) clients[name].close();
      delete clients[name];
    }
    await sleep(SETTLE_MS);
  };

  await join('alice', '?user=alice');
  await join('bob', '?user=b%C3%B6b+%22the%22+%5C%2F');
  await join('anonymous', '');
  await join('empty', '?user=');
  await join('no-value', '?user');
  await join('first-wins', '?user=first&user=second');
  await join('bad-query', '?user=%zz');
  await join('not-utf8', '?user=%FF');
  await send('alice', 'hello');
  await send('alice', 'quotes " backslash \\ slash / newline \n tab \t nul \u0000 ctrl \u001f del \u007f');
  await send('alice', 'é ü 中文 😀 \u2028 \u2029 <script>&amp;');
  await send('bob', Buffer.from([1, 2, 3]), { binary: true });
  await send('bob', '');
  await send('bob', 'x'.repeat(70000));
  await leave('bob');
  await leaveAll();

  await join('announce:carol', '?user=carol');
  await join('announce:silent', '?user=silent&announce=0');
  await join('announce:loud', '?user=loud&announce=1');
  await send('announce:silent', 'quiet');
  await leave('announce:silent');
  await leave('announce:loud');
  await leaveAll();
  return logs;
}

function short(frame) {
  return frame.length > 160 ? `${frame.slice(0, 150)}… (${frame.length} chars)` : frame;
}

async function main() {
  const ours = await start(oursCommand, /http:\/\/[^:/]+:(\d+)\//);
  const peer = await start(peerCommand, /^listening on (\d+)$/m);
  let differences = 0;
  try {
    const a = await script(ours.port);
    const b = await script(peer.port);
    for (const name of Object.keys(a)) {
      const count = Math.max(a[name].length, b[name].length);
      const first = [...Array(count).keys()].find((i) => a[name][i] !== b[name][i]);
      if (first === undefined) {
        console.log(`${name}: the same ${count} frame(s)`);
        continue;
      }
      ++differences;
      console.log(`${name}: differs from frame ${first} on (ours ${a[name].length} frames, peer ${b[name].length})`);
      for (let i = first; i < count; ++i) {
        console.log(`  ${i} ours: ${short(a[name][i] ?? '(none)')}\n  ${i} peer: ${short(b[name][i] ?? '(none)')}`);
      }
    }
    if (process.argv.includes('--show')) {
      for (const name of Object.keys(a)) {
        console.log(`\n${name}:`);
        for (const frame of b[name]) console.log(`  ${short(frame)}`);
      }
    }
  } finally {
    ours.child.kill('SIGTERM');
    peer.child.kill('SIGTERM');
  }
  console.log(differences ? `${differences} client(s) saw different frames` : 'ours and the peer agree');
  process.exitCode = differences ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
