// The chat over TLS: in-process with a TLS configuration, and the program with --tls-cert and
// --tls-key. Clients verify the certificate the test made.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <csignal>
#include <stdexcept>
#include <string>
#include <thread>

#include "chat_program.hpp"
#include "dream/servers/beast/server.hpp"
#include "router.hpp"
#include "services.hpp"
#include "support.hpp"
#include "tls_client.hpp"
#include "tls_fixture.hpp"

using namespace test_support;
namespace server = dream::servers::beast;

namespace {

// The chat app in-process over TLS, on a free port, with the assets from the source tree.
struct TlsChatApp {
  explicit TlsChatApp(const SelfSignedCertificate& certificate)
      : services(chat::initialize(runtime, DREAM_SOURCE_DIR "/apps/websocket_chat/assets",
                                  std::nullopt, std::chrono::milliseconds(20))),
        handle(server::create()
                   .services(services)
                   .runtime(runtime)
                   .config(config(certificate))
                   .router(chat::create_router())
                   .start(0)) {}
  std::uint16_t port() const { return handle.port(); }

  static server::ServerConfig config(const SelfSignedCertificate& certificate) {
    server::ServerConfig config;
    config.tls_certificate_file = certificate.certificate_file();
    config.tls_private_key_file = certificate.key_file();
    return config;
  }

  dream::Runtime runtime;
  chat::Services services;
  server::ServerHandle handle;
};

// The page's own origin over https, as a browser sends it with the upgrade.
std::vector<std::pair<std::string, std::string>> own_origin(std::uint16_t port) {
  return {{"Origin", "https://127.0.0.1:" + std::to_string(port)}};
}

}  // namespace

TEST_SUITE("chat") {
  TEST_CASE("TLS chat round trip: two wss clients, one sends, both receive") {
    SelfSignedCertificate certificate;
    TlsChatApp app(certificate);
    const auto& trusted = certificate.certificate_file();
    WssClient alice(app.port(), "/chat?user=Alice", trusted, own_origin(app.port()));
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Alice"})");
    WssClient bob(app.port(), "/chat?user=Bob", trusted, own_origin(app.port()));
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Bob"})");
    CHECK(bob.receive_text() == R"({"type":"joined","user":"Bob"})");
    bob.send_text("Hi Alice, privately!");
    const auto hi = R"({"type":"message","user":"Bob","text":"Hi Alice, privately!"})";
    CHECK(alice.receive_text() == hi);
    CHECK(bob.receive_text() == hi);
    // The closing handshake completes through TLS (close frames, then close_notify).
    CHECK(bob.close());
    CHECK(alice.receive_text() == R"({"type":"left","user":"Bob"})");
  }
}

TEST_SUITE("chat") {
  TEST_CASE("TLS: the dashboard's Server-Sent Events come over https") {
    SelfSignedCertificate certificate;
    TlsChatApp app(certificate);
    const auto stream =
        https_read_until(app.port(), certificate.certificate_file(), "/stats", "event: stats\n");
    CHECK(stream.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
    CHECK(stream.find("text/event-stream") != std::string::npos);
    CHECK(stream.find("\ndata: {") != std::string::npos);
  }

  TEST_CASE("TLS: stopping the server closes a reading wss client with 1001") {
    SelfSignedCertificate certificate;
    TlsChatApp app(certificate);
    WssClient alice(app.port(), "/chat?user=Alice", certificate.certificate_file());
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Alice"})");
    std::optional<std::string> after_stop = "not read yet";
    std::thread reader([&] { after_stop = alice.receive_text(); });
    app.handle.stop();  // returns once the closing handshake is done (or the grace period over)
    reader.join();
    CHECK_FALSE(after_stop);
    CHECK(alice.close_code() == 1001);
  }
}

TEST_SUITE("chat_program") {
  TEST_CASE("TLS: --tls-cert and --tls-key serve the page over https and the chat over wss") {
    SelfSignedCertificate certificate;
    const auto& trusted = certificate.certificate_file();
    ChatProgram program(DREAM_CHAT_PROGRAM,
                        {"--tls-cert", trusted, "--tls-key", certificate.key_file()});
    const auto banner = program.output();
    CHECK(banner.find("open https://127.0.0.1:" + std::to_string(program.port()) + "/") !=
          std::string::npos);
    const auto page = https_request(program.port(), trusted, "GET", "/");
    CHECK(page.status == 200);
    CHECK(page.body.find("Dream WebSocket Chat") != std::string::npos);
    WssClient alice(program.port(), "/chat?user=Alice", trusted, own_origin(program.port()));
    CHECK(alice.receive_text() == R"({"type":"joined","user":"Alice"})");
    alice.send_text("over TLS");
    CHECK(alice.receive_text() == R"({"type":"message","user":"Alice","text":"over TLS"})");
    const int status = program.stop_with(SIGTERM);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }

  TEST_CASE("TLS: the program refuses a missing, half or unusable certificate (exit 2)") {
    SelfSignedCertificate certificate;
    const auto& cert = certificate.certificate_file();
    const auto& key = certificate.key_file();
    // Each exits before its banner, which ChatProgram reports as std::runtime_error.
    CHECK_THROWS_AS(ChatProgram(DREAM_CHAT_PROGRAM, {"--tls-cert", cert}), std::runtime_error);
    CHECK_THROWS_AS(
        ChatProgram(DREAM_CHAT_PROGRAM,
                    {"--tls-cert", certificate.directory() + "/none.pem", "--tls-key", key}),
        std::runtime_error);
    CHECK_THROWS_AS(ChatProgram(DREAM_CHAT_PROGRAM, {"--tls-cert", key, "--tls-key", key}),
                    std::runtime_error);
  }
}
