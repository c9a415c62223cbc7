#include "dream/cucumber/table.hpp"

#include <stdexcept>

namespace dream::cucumber {

Table::Table(const std::vector<basic_type>& rows) {
  if (rows.empty()) {
    return;
  }
  for (const auto& column : rows.front()) {
    addColumn(column);
  }
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (!addRow(rows[i])) {
      throw std::invalid_argument("data table: row " + std::to_string(i + 1) + " has " +
                                  std::to_string(rows[i].size()) + " cells, the header " +
                                  std::to_string(rows.front().size()));
    }
  }
}

bool Table::addColumn(const std::string& column) {
  if (rows_.size() > 1) {
    return false;
  }
  if (rows_.empty()) {
    rows_.emplace_back();
  }
  rows_.front().push_back(column);
  return true;
}

bool Table::addRow(const basic_type& row) {
  if (rows_.empty() || row.size() != rows_.front().size()) {
    return false;
  }
  hash_row_type hash;
  for (std::size_t i = 0; i < row.size(); ++i) {
    hash[rows_.front()[i]] = row[i];  // a repeated column name: the last cell wins
  }
  rows_.push_back(row);
  hashes_.push_back(std::move(hash));
  return true;
}

}  // namespace dream::cucumber
