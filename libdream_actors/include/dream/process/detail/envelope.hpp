#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace dream::process::detail {

/// What travels in a mailbox: the tag of the subject it was sent to and the payload, which is
/// shared, so sending one payload to many processes never copies it.
struct Envelope {
  std::uint64_t tag = 0;
  std::shared_ptr<const void> payload;
  bool batch = false;  // the payload is a Batch
};

/// Payloads for one subject, handled one after another as if each had come alone: the
/// broadcaster's fan-out of a burst costs one mailbox element per subscriber, not one per
/// message, and a connection then sends the whole burst in one write.
struct Batch {
  std::vector<std::shared_ptr<const void>> payloads;
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
