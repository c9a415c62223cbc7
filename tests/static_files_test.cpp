#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dream/http/static_files.hpp"
#include "dream/servers/beast/server.hpp"
#include "http_client.hpp"

using namespace dream;
using namespace dream::http;
namespace fs = std::filesystem;
namespace server = dream::servers::beast;
using test_support::HttpClient;

namespace {

// A scratch tree: root/ with files and a symlink pointing out, and a secret beside root/.
struct Tree {
  fs::path base;
  fs::path root;
  Tree() {
    base = fs::temp_directory_path() /
           ("dream-static-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    root = base / "root";
    fs::create_directories(root / "styles");
    write(root / "index.html", "<h1>hi</h1>");
    write(root / "styles" / "chat.css", ".welcome-screen{}");
    write(root / "app.js", "console.log(1)");
    write(root / "blob.bin", "\x01\x02");
    write(base / "secret.txt", "top secret");
    fs::create_symlink(base / "secret.txt", root / "escape.txt");
    fs::create_directory_symlink(base, root / "up");
  }
  ~Tree() { fs::remove_all(base); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
};

struct Services {
  fs::path assets;
};

Response assets(const Request& request, EmptyContext&, const Services& services) {
  return serve_file(services.assets, request.param("filepath").value_or(""));
}

}  // namespace

TEST_SUITE("static") {
  TEST_CASE("files are served with their MIME type") {
    Tree tree;
    auto css = serve_file(tree.root, "styles/chat.css");
    CHECK(css.status == 200);
    CHECK(css.body == ".welcome-screen{}");
    CHECK(css.headers.get("Content-Type") == "text/css; charset=utf-8");
    CHECK(serve_file(tree.root, "app.js").headers.get("Content-Type") ==
          "text/javascript; charset=utf-8");
    CHECK(serve_file(tree.root, "index.html").headers.get("Content-Type") ==
          "text/html; charset=utf-8");
    CHECK(serve_file(tree.root, "blob.bin").headers.get("Content-Type") ==
          "application/octet-stream");
    CHECK(serve_file(tree.root, "missing.css").status == 404);
    CHECK(serve_file(tree.root, "styles").status == 404);  // a directory
  }

  TEST_CASE("nothing outside the root is ever served") {
    Tree tree;
    CHECK(serve_file(tree.root, "../secret.txt").status == 404);
    CHECK(serve_file(tree.root, "styles/../../secret.txt").status == 404);
    CHECK(serve_file(tree.root, (tree.base / "secret.txt").string()).status == 404);
    CHECK(serve_file(tree.root, "escape.txt").status == 404);     // symlink out of the root
    CHECK(serve_file(tree.root, "up/secret.txt").status == 404);  // directory symlink out
    CHECK(serve_file(tree.root, std::string("index.html\0x", 12)).status == 404);
  }

  TEST_CASE("traversal attempts over the wire, through the router, are refused") {
    Tree tree;
    auto app = router<EmptyContext, Services>().route(Method::Get, "/assets/**filepath", assets);
    auto handle = server::create().services(Services{tree.root}).router(app).start(0);
    HttpClient client(handle.port());
    CHECK(client.request("GET", "/assets/styles/chat.css").status == 200);
    for (const char* attack :
         {"/assets/../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/%2e%2e%2fsecret.txt",
          "/assets/styles/%2E%2E/%2E%2E/secret.txt", "/assets//etc/passwd",
          "/assets/%2Fetc%2Fpasswd", "/assets/escape.txt", "/assets/up/secret.txt",
          "/assets/..%5csecret.txt"}) {
      auto reply = client.request("GET", attack);
      CAPTURE(attack);
      CHECK(reply.status == 404);
      CHECK(reply.body.find("top secret") == std::string::npos);
    }
  }
}
