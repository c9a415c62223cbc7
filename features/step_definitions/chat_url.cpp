#include "chat_url.hpp"

#include <stdexcept>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace feature_steps {

std::string chat_target(const std::string& user, const std::optional<std::string>& token) {
  boost::urls::url target("/chat");
  target.params().append({"user", user});
  if (token) {
    target.params().append({"token", *token});
  }
  return std::string(target.buffer());
}

std::string user_named_by(const std::string& target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    throw std::invalid_argument("\"" + target +
                                "\" is not a request target: " + parsed.error().message());
  }
  const auto params = parsed->params();
  const auto user = params.find("user");
  if (user == params.end() || (*user).value.empty()) {
    return "Anonymous";
  }
  return (*user).value;
}

}  // namespace feature_steps
