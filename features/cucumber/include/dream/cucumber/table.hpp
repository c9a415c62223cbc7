#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace dream::cucumber {

/// A Gherkin data table as a step receives it: the first row names the columns, every
/// other row is one record. Immutable once built; copies are cheap enough for a step.
class Table {
 public:
  using basic_type = std::vector<std::string>;
  using hash_row_type = std::map<std::string, std::string>;
  using hashes_type = std::vector<hash_row_type>;

  Table() = default;
  /// Builds a table from rows as cucumber sends them; throws std::invalid_argument when a
  /// row's width differs from the header's. Column names may repeat (a grid of cells).
  explicit Table(const std::vector<basic_type>& rows);

  /// Every row after the header, as column name -> cell (cucumber-cpp's `hashes()`; where a
  /// name repeats, its last cell).
  const hashes_type& hashes() const noexcept { return hashes_; }
  /// Every row, the header first, exactly as written.
  const std::vector<basic_type>& raw() const noexcept { return rows_; }
  /// The column names (the first row), or none for an empty table.
  basic_type columns() const { return rows_.empty() ? basic_type{} : rows_.front(); }

  /// cucumber-cpp's builder calls: add a column (false once rows exist) and a row (false
  /// unless it has one cell per column).
  bool addColumn(const std::string& column);
  bool addRow(const basic_type& row);

 private:
  std::vector<basic_type> rows_;
  hashes_type hashes_;
};

namespace internal {
using ::dream::cucumber::Table;  // where cucumber-cpp's step files look for it
}  // namespace internal

}  // namespace dream::cucumber
