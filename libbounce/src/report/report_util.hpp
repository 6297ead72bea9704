// Helpers shared by the report's aggregation, diagnosis and renderers.

#ifndef BOUNCE_SRC_REPORT_REPORT_UTIL_HPP_
#define BOUNCE_SRC_REPORT_REPORT_UTIL_HPP_

#include <cstdint>
#include <string>
#include <string_view>

namespace bounce::report {

/// "2025-07-05T06:52:11Z" (seconds precision) for UTC microseconds; "" for 0.
std::string iso_time(std::int64_t micros);

/// The first dotted-quad IPv4 address in text, or "".
std::string first_ipv4(std::string_view text);

/// "12.3%" style.
std::string percent(double rate);

}  // namespace bounce::report

#endif  // BOUNCE_SRC_REPORT_REPORT_UTIL_HPP_
