#include "controllers/static_controller.hpp"

#include <dream/http/static_files.hpp>

namespace chat::controllers::static_controller {

dream::http::Response serve(const dream::http::Request& request, dream::EmptyContext&,
                            const Services& services) {
  return dream::http::serve_file(services.assets, request.param("filepath").value_or(""));
}

}  // namespace chat::controllers::static_controller
