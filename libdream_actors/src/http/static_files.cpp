#include "dream/http/static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace dream::http {
namespace {

// The types a web app serves; written out here because Debian has no library that maps
// extensions to types (only /etc/mime.types, which a minimal system may lack).
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> types{{
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".xml", "application/xml"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
    {".pdf", "application/pdf"},
    {".csv", "text/csv; charset=utf-8"},
}};

bool is_inside(const std::filesystem::path& root, const std::filesystem::path& file) {
  auto r = root.begin();
  auto f = file.begin();
  for (; r != root.end(); ++r, ++f) {
    if (f == file.end() || *r != *f) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view mime_type(std::string_view file_name) noexcept {
  const auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    const auto extension = file_name.substr(dot);
    for (const auto& [ext, type] : types) {
      if (iequals(ext, extension)) {
        return type;
      }
    }
  }
  return "application/octet-stream";
}

Response serve_file(const std::filesystem::path& root, std::string_view relative_path) {
  namespace fs = std::filesystem;
  if (relative_path.empty() || relative_path.front() == '/' ||
      relative_path.find('\0') != std::string_view::npos ||
      relative_path.find('\\') != std::string_view::npos) {
    return not_found();
  }
  const fs::path relative(relative_path);
  for (const auto& part : relative) {
    if (part == "..") {
      return not_found();
    }
  }
  // Resolve symlinks on both sides: the file must still lie under the real root.
  std::error_code ec;
  const auto real_root = fs::canonical(root, ec);
  if (ec) {
    return not_found();
  }
  const auto real_file = fs::canonical(real_root / relative, ec);
  if (ec || !is_inside(real_root, real_file) || !fs::is_regular_file(real_file, ec)) {
    return not_found();
  }
  std::ifstream in(real_file, std::ios::binary);
  if (!in) {
    return not_found();
  }
  Response response;
  response.body.assign(std::istreambuf_iterator<char>(in), {});
  response.headers.set("Content-Type", std::string(mime_type(real_file.filename().string())));
  return response;
}

}  // namespace dream::http
