#pragma once

#include <caf/allowed_unsafe_message_type.hpp>

#include "dream/process/detail/envelope.hpp"

// Envelopes only ever travel between actors of one process, so CAF never serialises them.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(dream::process::detail::Envelope)
