#pragma once

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace dream::servers::beast::detail {

/// The executor a WebSocket read's handler is bound to: a completion that Beast posts from
/// the connection's own strand (a frame already in its buffer) runs at once instead of
/// queueing behind every other connection's work. Without it a connection reads one
/// buffered frame per turn of the io_context, so a publisher's burst reached the broadcaster
/// one message at a time. Nesting is bounded; beyond it, completions are posted as usual.
class ReadyExecutor {
 public:
  explicit ReadyExecutor(boost::asio::any_io_executor inner) : inner_(std::move(inner)) {}

  boost::asio::execution_context& context() const noexcept {
    return boost::asio::query(inner_, boost::asio::execution::context);
  }
  void on_work_started() const noexcept {}
  void on_work_finished() const noexcept {}

  template <class F, class Allocator>
  void dispatch(F&& f, const Allocator&) const {
    run_or_post(std::forward<F>(f));
  }
  template <class F, class Allocator>
  void post(F&& f, const Allocator&) const {
    run_or_post(std::forward<F>(f));
  }
  template <class F, class Allocator>
  void defer(F&& f, const Allocator&) const {
    run_or_post(std::forward<F>(f));
  }

  friend bool operator==(const ReadyExecutor& a, const ReadyExecutor& b) noexcept {
    return a.inner_ == b.inner_;
  }
  friend bool operator!=(const ReadyExecutor& a, const ReadyExecutor& b) noexcept {
    return !(a == b);
  }

 private:
  using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  static constexpr int max_depth = 16;

  template <class F>
  void run_or_post(F&& f) const {
    static thread_local int depth = 0;
    const auto* strand = inner_.target<Strand>();
    if (strand != nullptr && strand->running_in_this_thread() && depth < max_depth) {
      ++depth;
      auto function = std::forward<F>(f);
      function();
      --depth;
      return;
    }
    // Wrapped so the function carries no associated executor (which would be this one again).
    boost::asio::post(inner_, [function = std::forward<F>(f)]() mutable { function(); });
  }

  boost::asio::any_io_executor inner_;
};

}  // namespace dream::servers::beast::detail
