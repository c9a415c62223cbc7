#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "dream/servers/beast/server.hpp"

namespace feature_steps {

/// The app features/http.feature talks to: a dream server in this process, on a free port,
/// routing GET /users/:id ("user ID"), POST /users, GET /files/**path ("file [PATH]") and
/// GET /assets/**filepath (serve_file from a fresh static root, beside which lies a secret
/// file that must never be served). Stops and removes its files when destroyed.
class RouterApp {
 public:
  /// Writes the static root (hello.txt, styles/site.css) and the secret, then starts the
  /// server; throws std::system_error when it cannot listen.
  RouterApp();
  RouterApp(const RouterApp&) = delete;
  RouterApp& operator=(const RouterApp&) = delete;

  std::uint16_t port() const noexcept { return server_.port(); }
  /// The secret's text: no response may ever contain it.
  static const std::string& secret();

 private:
  // Removed when the app goes, even if its server failed to start; the server stops first.
  struct Scratch {
    std::filesystem::path path;  // holds root/ and, beside it, secret.txt
    ~Scratch();
  };
  Scratch base_;
  dream::servers::beast::ServerHandle server_;
};

}  // namespace feature_steps
