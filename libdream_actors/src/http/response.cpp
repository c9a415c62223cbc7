#include "dream/http/response.hpp"

#include <utility>

namespace dream::http {
namespace {
Response with_type(unsigned status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.headers.set("Content-Type", std::move(content_type));
  return response;
}
}  // namespace

Response text_response(unsigned status, std::string body) {
  return with_type(status, std::move(body), "text/plain; charset=utf-8");
}

Response html_response(unsigned status, std::string body) {
  return with_type(status, std::move(body), "text/html; charset=utf-8");
}

Response json_response(unsigned status, std::string body) {
  return with_type(status, std::move(body), "application/json");
}

Response empty_response(unsigned status) {
  Response response;
  response.status = status;
  return response;
}

Response redirect_response(unsigned status, std::string location) {
  Response response;
  response.status = status;
  response.headers.set("Location", std::move(location));
  return response;
}

Response unauthorized(std::string message) {
  return text_response(status::unauthorized, std::move(message));
}

Response forbidden(std::string message) {
  return text_response(status::forbidden, std::move(message));
}

Response not_found() {
  return text_response(status::not_found, "Not Found");
}

Response bad_request(std::string message) {
  return text_response(status::bad_request, std::move(message));
}

Response internal_server_error() {
  return text_response(status::internal_server_error, "Internal Server Error");
}

}  // namespace dream::http
