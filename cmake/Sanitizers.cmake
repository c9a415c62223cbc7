# Applies DREAM_SANITIZER to every target in this build (not to installed consumers).
# 'thread' is ThreadSanitizer; 'address' is AddressSanitizer with UndefinedBehaviorSanitizer.
if(DREAM_SANITIZER STREQUAL "thread")
  # -Wno-tsan: GCC notes that TSan cannot model std::atomic_thread_fence. The one fence we have
  # (detail/envelope.hpp, before moving out of a payload we solely own) is right, and TSan
  # simply does not see it.
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -g -Wno-tsan)
  add_link_options(-fsanitize=thread)
elseif(DREAM_SANITIZER STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
elseif(NOT DREAM_SANITIZER STREQUAL "")
  message(FATAL_ERROR "DREAM_SANITIZER must be '', 'thread' or 'address', not '${DREAM_SANITIZER}'")
endif()
