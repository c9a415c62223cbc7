#pragma once

#include <cstdint>
#include <memory>

namespace dream::process {

namespace detail {
struct ProcessCell;
}

/// The address of one process, like an Erlang pid: cheap to copy and compare.
/// Holding a Pid never keeps its process alive; a default Pid names no process.
class Pid {
 public:
  Pid() = default;

  /// True while the process runs; false once it has ended (or for a default Pid).
  bool is_alive() const noexcept;

  /// A number no other process of this program has (0 for a default Pid).
  std::uint64_t id() const noexcept;

  friend bool operator==(const Pid& a, const Pid& b) noexcept { return a.cell_ == b.cell_; }

  /// @private For the runtime: every process has exactly one cell.
  explicit Pid(std::shared_ptr<detail::ProcessCell> cell) noexcept : cell_(std::move(cell)) {}
  /// @private
  const std::shared_ptr<detail::ProcessCell>& cell() const noexcept { return cell_; }

 private:
  std::shared_ptr<detail::ProcessCell> cell_;
};

}  // namespace dream::process
