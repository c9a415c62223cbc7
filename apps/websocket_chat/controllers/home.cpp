#include "controllers/home.hpp"

#include "views/chat_view.hpp"

namespace chat::controllers::home {

dream::http::Response show(const dream::http::Request&, dream::EmptyContext&, const Services&) {
  return dream::http::html_response(dream::http::status::ok, views::chat_view::render_page());
}

}  // namespace chat::controllers::home
