#include "dream/process/errors.hpp"

#include <string>

namespace dream::process {
namespace {

class ProcessCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "dream.process"; }

  std::string message(int code) const override {
    switch (static_cast<Errc>(code)) {
      case Errc::owner_gone:
        return "the process that owns this subject has ended";
      case Errc::broadcaster_stopped:
        return "the broadcaster has been stopped";
      case Errc::timeout:
        return "no answer arrived before the timeout";
      case Errc::runtime_stopped:
        return "the runtime has been shut down";
    }
    return "unknown dream.process error " + std::to_string(code);
  }
};

}  // namespace

const std::error_category& process_category() noexcept {
  static const ProcessCategory category;
  return category;
}

std::error_code make_error_code(Errc e) noexcept {
  return {static_cast<int>(e), process_category()};
}

NotAProcess::NotAProcess(const char* operation)
    : std::logic_error(std::string(operation) +
                       " must be called from inside a process (an actor's handler); this "
                       "thread is not one: use a dream::process::Inbox here instead") {}

}  // namespace dream::process
