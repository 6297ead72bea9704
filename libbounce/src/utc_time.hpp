// UTC timestamps as ISO 8601 text: the records' time column (to the
// microsecond) and the report's times (to the second) are written by one
// function.

#ifndef BOUNCE_SRC_UTC_TIME_HPP_
#define BOUNCE_SRC_UTC_TIME_HPP_

#include <cstdint>
#include <cstdio>
#include <string>

namespace bounce {

/// Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm, the
/// inverse of formats::days_from_civil).
constexpr void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

/// "2025-07-05T06:52:01.000000Z" (with_micros) or "2025-07-05T06:52:01Z"
/// for UTC microseconds since the epoch.
inline std::string format_utc(std::int64_t micros, bool with_micros) {
  std::int64_t secs = micros / 1000000;
  std::int64_t frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  std::int64_t days = secs / 86400;
  std::int64_t sod = secs % 86400;
  if (sod < 0) {
    sod += 86400;
    --days;
  }
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const int h = static_cast<int>(sod / 3600), mi = static_cast<int>(sod / 60 % 60),
            s = static_cast<int>(sod % 60);
  if (y >= 0 && y <= 9999) {  // fixed width: digits by hand (snprintf is slow per record)
    char b[32];
    char* p = b;
    const auto put = [&p](std::int64_t v, int width) {
      for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
      p += width;
    };
    const auto sep = [&p](char c) { *p++ = c; };
    put(y, 4), sep('-'), put(m, 2), sep('-'), put(d, 2), sep('T');
    put(h, 2), sep(':'), put(mi, 2), sep(':'), put(s, 2);
    if (with_micros) sep('.'), put(frac, 6);
    *p++ = 'Z';
    return std::string(b, p);
  }
  char buf[48];
  if (with_micros)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", y, m, d, h, mi, s,
                  static_cast<int>(frac));
  else
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d, h, mi, s);
  return buf;
}

}  // namespace bounce

#endif  // BOUNCE_SRC_UTC_TIME_HPP_
