#include "router.hpp"

#include "controllers/chat.hpp"
#include "controllers/home.hpp"
#include "controllers/static_controller.hpp"
#include "controllers/stats.hpp"

namespace chat {

dream::Router<dream::EmptyContext, Services> create_router() {
  using dream::http::Method;
  return dream::router<dream::EmptyContext, Services>()
      .route(Method::Get, "/", controllers::home::show)
      .route(Method::Get, "/chat", controllers::chat::handle_chat_upgrade)
      .route(Method::Get, "/stats", controllers::stats::stream)
      .route(Method::Get, "/dashboard", controllers::stats::dashboard)
      .route(Method::Get, "/assets/**filepath", controllers::static_controller::serve);
}

}  // namespace chat
