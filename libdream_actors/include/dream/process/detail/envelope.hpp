#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace dream::process::detail {

/// What travels in a mailbox: the tag of the subject it was sent to and the payload, which is
/// shared, so sending one payload to many processes never copies it.
struct Envelope {
  std::uint64_t tag = 0;
  std::shared_ptr<const void> payload;
};

/// Moves the payload out when this envelope is its only owner, copies it otherwise.
template <class T>
T take_payload(Envelope& envelope) {
  const auto* value = static_cast<const T*>(envelope.payload.get());
  if (envelope.payload.use_count() == 1) {
    // use_count() is a relaxed load: the fence orders this after the other owners' last reads
    // (their releases), as shared_ptr's own deleter would. Payloads are created non-const by
    // send(), so sole ownership makes moving out safe.
    std::atomic_thread_fence(std::memory_order_acquire);
    return std::move(*const_cast<T*>(value));
  }
  return *value;
}

}  // namespace dream::process::detail
