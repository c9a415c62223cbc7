#pragma once

#include <stdexcept>
#include <system_error>

namespace dream::process {

/// Why an operation on a process could not be carried out; a std::error_code enum.
/// Each value has a message that says what happened and what to do about it.
enum class Errc {
  owner_gone = 1,       ///< the process that owns the subject has ended
  broadcaster_stopped,  ///< the broadcaster was stopped; nothing was published
  timeout,              ///< no answer arrived in the time given
  runtime_stopped,      ///< the Runtime is shut down and starts no process
};

/// The error category of Errc, named "dream.process".
const std::error_category& process_category() noexcept;

/// Makes a std::error_code of the dream.process category.
std::error_code make_error_code(Errc e) noexcept;

/// Thrown when a call that acts as "the calling process" runs on a thread that is not
/// one (main, a test, an I/O thread): use an Inbox there instead.
class NotAProcess : public std::logic_error {
 public:
  explicit NotAProcess(const char* operation);
};

}  // namespace dream::process

template <>
struct std::is_error_code_enum<dream::process::Errc> : std::true_type {};
