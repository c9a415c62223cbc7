#pragma once

#include <system_error>

#include <boost/system/result.hpp>

namespace dream {

/// A value or the std::error_code saying why there is none (Boost.System's result).
/// `value()` throws std::system_error on an error; `has_error()` and `error()` never throw.
template <class T = void>
using Result = boost::system::result<T, std::error_code>;

}  // namespace dream
