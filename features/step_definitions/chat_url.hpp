#pragma once

#include <optional>
#include <string>

namespace feature_steps {

/// The chat's WebSocket target for `user` ("/chat?user=J%C3%BCrgen"), the name
/// percent-encoded as UTF-8 the way a browser sends it, plus `&token=…` when given.
std::string chat_target(const std::string& user, const std::optional<std::string>& token);

/// The name the chat gives a connection to `target`: its `user` query parameter,
/// percent-decoded, or "Anonymous" when absent or empty. Throws std::invalid_argument when
/// `target` is not a path with an optional query.
std::string user_named_by(const std::string& target);

}  // namespace feature_steps
