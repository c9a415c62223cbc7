// The chat demo in a real browser: headless Chromium (Debian's) opens two pages, joins as
// Alice and Bob, and checks what each one shows. Usage:
//   node chat_browser_test.mjs PATH/TO/websocket_chat ARTEFACT_DIR
// Exits 0 when every check holds; saves screenshots in ARTEFACT_DIR either way.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath } from "node:path";
import { chromium } from "playwright-core";

const [program, artefacts] = process.argv.slice(2);
if (!program || !artefacts) {
  console.error("usage: node chat_browser_test.mjs PROGRAM ARTEFACT_DIR");
  process.exit(2);
}
mkdirSync(artefacts, { recursive: true });

// The whole run is bounded: a hang fails instead of waiting forever.
const deadline = setTimeout(() => {
  console.error("FAIL: the browser test did not finish within 120 s");
  process.exit(1);
}, 120_000);

// Starts the chat program on a free port; resolves with the process, its exit and its URL.
async function startChat(extraArgs = []) {
  const child = spawn(program, ["--port", "0", ...extraArgs], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const address = await new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/open (https?:\/\/\S+)/);
      if (match) {
        resolve(match[1]);
      }
    });
    child.on("exit", () => reject(new Error(`the server exited before listening: ${seen}`)));
  });
  return { child, exited, address };
}

const { child: server, exited: serverExit, address: url } = await startChat();
const secured = await startChat(["--token", "s3cret"]);
// Over TLS, with a self-signed certificate made now (the browser is told to accept it).
const tlsDir = mkdtempSync(joinPath(tmpdir(), "dream-browser-tls-"));
execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
  "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  "-keyout", `${tlsDir}/key.pem`, "-out", `${tlsDir}/cert.pem`], { stdio: "ignore" });
const tls = await startChat(["--tls-cert", `${tlsDir}/cert.pem`, "--tls-key", `${tlsDir}/key.pem`]);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let failed = false;
function check(condition, what) {
  console.log(`${condition ? "ok  " : "FAIL"} ${what}`);
  failed ||= !condition;
}

try {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const alice = await context.newPage();
  const bob = await context.newPage();
  for (const page of [alice, bob]) {
    page.setDefaultTimeout(20_000);
  }

  async function join(page, name) {
    await page.goto(url);
    check((await page.textContent("h1")) === "Dream WebSocket Chat", `${name}: the welcome screen`);
    if (name === "Alice") {
      await page.screenshot({ path: `${artefacts}/chat-welcome.png`, animations: "disabled" });
    }
    await page.fill("#name-input", name);
    await page.click("#join-button");
    await page.waitForSelector("#chat-screen:not(.hidden)");
    check(await page.isHidden("#welcome-screen"), `${name}: the chat screen replaces the welcome screen`);
  }

  // The live dashboard (/dashboard, fed by GET /stats over Server-Sent Events) in its own
  // tab: its numbers must change as people join, chat and leave.
  const dashboard = await context.newPage();
  dashboard.setDefaultTimeout(20_000);
  await dashboard.goto(`${url}dashboard`);
  // Polled by time, not by animation frame: a background tab gets no frames.
  const numbersAre = (users, messages) =>
    dashboard.waitForFunction(
      ([u, m]) =>
        document.getElementById("users").textContent === u &&
        document.getElementById("messages").textContent === m,
      [users, messages],
      { polling: 100 },
    );
  await numbersAre("0", "0");
  check((await dashboard.textContent("#stream-status")) === "Live", "the dashboard's stream is live");

  await join(alice, "Alice");
  await alice.waitForSelector(".notification >> text=Alice joined the chat");
  await join(bob, "Bob");
  await alice.waitForSelector(".notification >> text=Bob joined the chat");
  check(true, "Alice sees Bob join");

  await alice.fill("#message-input", "Hello Bob! <b>not bold</b>");
  await alice.click("#send-button");
  const atBob = await bob.waitForSelector(".message:has-text('Hello Bob!')");
  check(!(await atBob.getAttribute("class")).includes("own"), "Bob sees Alice's message, not styled as his own");
  check((await atBob.textContent()).includes("Alice"), "Bob sees who sent it");
  check((await bob.$$("b")).length === 0, "message text is shown as text, never as markup");
  const atAlice = await alice.waitForSelector(".message:has-text('Hello Bob!')");
  check((await atAlice.getAttribute("class")).includes("own"), "Alice's own message is styled as her own");

  await bob.fill("#message-input", "Hi Alice! ✓");
  await bob.click("#send-button");
  await alice.waitForSelector(".message:has-text('Hi Alice! ✓')");
  check(true, "Alice sees Bob's reply");

  for (const [page, name] of [[alice, "alice"], [bob, "bob"]]) {
    await page.bringToFront();
    await page.screenshot({ path: `${artefacts}/chat-${name}.png`, animations: "disabled" });
  }
  check(await atAlice.isVisible(), "the messages are visible on screen");

  await numbersAre("2", "2");
  check(true, "the dashboard shows 2 users and 2 messages once Alice and Bob have chatted");
  await dashboard.bringToFront();
  await dashboard.screenshot({ path: `${artefacts}/chat-dashboard.png`, animations: "disabled" });

  await bob.close();
  await alice.waitForSelector(".notification >> text=Bob left the chat");
  check(true, "Alice sees Bob leave when his page closes");
  await numbersAre("1", "2");
  check(true, "the dashboard shows 1 user once Bob has left");

  server.kill("SIGINT");
  await alice.waitForSelector("#welcome-screen:not(.hidden)");
  check(true, "Alice is back at the name screen when the server goes away");
  const exit = await serverExit;
  check(exit.code === 0, `the server exits 0 on SIGINT (got ${JSON.stringify(exit)})`);

  // With --token: the page passes the token in its own address on to the upgrade; without
  // it, joining fails visibly.
  const carol = await context.newPage();
  carol.setDefaultTimeout(20_000);
  await carol.goto(`${secured.address}?token=s3cret`);
  await carol.fill("#name-input", "Carol");
  await carol.click("#join-button");
  await carol.waitForSelector(".notification >> text=Carol joined the chat");
  check(true, "with ?token= in the page address, the page joins a --token chat");
  const dave = await context.newPage();
  dave.setDefaultTimeout(20_000);
  await dave.goto(secured.address);
  await dave.fill("#name-input", "Dave");
  await dave.click("#join-button");
  await dave.waitForSelector("#join-error:not(.hidden)");
  check(await dave.isVisible("#welcome-screen"), "without the token, joining fails and says so");
  await dave.screenshot({ path: `${artefacts}/chat-refused.png`, animations: "disabled" });

  // Over TLS: the https page opens its wss connection (the origin check takes the https page
  // of the server's own host and port as its own) and chats.
  check(tls.address.startsWith("https://"), `the TLS chat says https (${tls.address})`);
  const tlsContext = await browser.newContext({ ignoreHTTPSErrors: true });
  const erin = await tlsContext.newPage();
  erin.setDefaultTimeout(20_000);
  await erin.goto(tls.address);
  await erin.fill("#name-input", "Erin");
  await erin.click("#join-button");
  await erin.waitForSelector(".notification >> text=Erin joined the chat");
  await erin.fill("#message-input", "Hello over wss");
  await erin.click("#send-button");
  await erin.waitForSelector(".message:has-text('Hello over wss')");
  check(true, "an https page joins over wss and its message comes back");
} catch (error) {
  check(false, `unexpected: ${error.message}`);
} finally {
  await browser.close();
  server.kill("SIGKILL");
  secured.child.kill("SIGKILL");
  tls.child.kill("SIGKILL");
  rmSync(tlsDir, { recursive: true, force: true });
  clearTimeout(deadline);
}
console.log(failed ? "browser test FAILED" : "browser test passed");
process.exit(failed ? 1 : 0);
