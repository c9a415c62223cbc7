#include "router_app.hpp"

#include <unistd.h>
#include <atomic>
#include <fstream>

#include "dream/http/static_files.hpp"

namespace feature_steps {

namespace fs = std::filesystem;
using namespace dream::http;

namespace {

struct Services {
  fs::path assets;
};

Response show_user(const Request& request, dream::EmptyContext&, const Services&) {
  return text_response(status::ok, "user " + std::string(request.param("id").value_or("")));
}

Response create_user(const Request&, dream::EmptyContext&, const Services&) {
  return text_response(status::created, "created");
}

// Brackets, so an empty tail reads "file []" rather than a body with a trailing space.
Response show_file(const Request& request, dream::EmptyContext&, const Services&) {
  return text_response(status::ok,
                       "file [" + std::string(request.param("path").value_or("")) + "]");
}

Response asset(const Request& request, dream::EmptyContext&, const Services& services) {
  return serve_file(services.assets, request.param("filepath").value_or(""));
}

// A directory of its own per app, even with several runners at once.
fs::path fresh_directory() {
  static std::atomic<int> count{0};
  auto path = fs::temp_directory_path() /
              ("dream-features-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
  fs::remove_all(path);
  fs::create_directories(path / "root" / "styles");
  return path;
}

fs::path write_files(const fs::path& base) {
  std::ofstream(base / "root" / "hello.txt") << "hello from the static root";
  std::ofstream(base / "root" / "styles" / "site.css") << ".site { color: teal; }";
  std::ofstream(base / "secret.txt") << RouterApp::secret();
  return base / "root";
}

}  // namespace

RouterApp::RouterApp()
    : base_{fresh_directory()},
      server_(dream::servers::beast::create()
                  .services(Services{write_files(base_.path)})
                  .router(dream::router<dream::EmptyContext, Services>()
                              .route(Method::Get, "/users/:id", show_user)
                              .route(Method::Post, "/users", create_user)
                              .route(Method::Get, "/files/**path", show_file)
                              .route(Method::Get, "/assets/**filepath", asset))
                  .start(0)) {}

RouterApp::Scratch::~Scratch() {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

const std::string& RouterApp::secret() {
  static const std::string text = "top secret: never served";
  return text;
}

}  // namespace feature_steps
