#pragma once

#include <filesystem>
#include <string_view>

#include "dream/http/response.hpp"

namespace dream::http {

/// The Content-Type for a file name by its extension ("chat.css" -> "text/css; charset=utf-8"),
/// application/octet-stream when unknown.
std::string_view mime_type(std::string_view file_name) noexcept;

/// Serves the file at `relative_path` under `root` with its MIME type, or 404. Never serves
/// outside `root`: `..` segments, absolute paths, NUL bytes and symlinks leading out of the
/// root all get 404. Call it from a controller, e.g. with request.param("filepath").
/// The whole file is read into the response (large downloads want a streaming response).
Response serve_file(const std::filesystem::path& root, std::string_view relative_path);

}  // namespace dream::http
