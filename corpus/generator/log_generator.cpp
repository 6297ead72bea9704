// LogGenerator: traffic, rendered by a format's writer, in time order.

#include "log_generator.hpp"

#include <cstdio>
#include <stdexcept>

#include "log_writer.hpp"
#include "utc_time.hpp"

namespace bounce::corpus {

CivilTime civil_time(std::int64_t ms) {
  constexpr std::int64_t kStart = 1751695200;  // 2025-07-05 06:00:00 UTC
  const std::int64_t s = kStart + ms / 1000;
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(s / 86400, y, m, d);
  const auto in_day = static_cast<int>(s % 86400);
  return {
      y,           static_cast<int>(m),        static_cast<int>(d), in_day / 3600, in_day / 60 % 60,
      in_day % 60, static_cast<int>(ms % 1000)};
}

std::string iso_time(std::int64_t ms) {
  const CivilTime c = civil_time(ms);
  char b[32];
  std::snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second, c.millis);
  return b;
}

std::string syslog_time(std::int64_t ms) {
  static const char* kMonth[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilTime c = civil_time(ms);
  char b[32];
  std::snprintf(b, sizeof b, "%s %2d %02d:%02d:%02d", kMonth[c.month - 1], c.day, c.hour, c.minute,
                c.second);
  return b;
}

LogGenerator::LogGenerator(Options options) : options_(std::move(options)) {
  if (options_.format != "postfix" && options_.format != "exim" && options_.format != "sendmail" &&
      options_.format != "ses" && options_.format != "exchange")
    throw std::invalid_argument("unknown format '" + options_.format +
                                "' (postfix, exim, sendmail, exchange, ses)");
}

void LogGenerator::run(const std::function<void(std::string_view)>& out) {
  truth_ = GroundTruth{};
  truth_.format = options_.format;
  // Sendmail logs its own word for a remote 5xx, not the reply.
  Traffic traffic({options_.seed, options_.messages_per_hour, options_.scenarios,
                   options_.format != "sendmail"},
                  truth_);
  const LogWriter write = options_.format == "exim"       ? write_exim
                          : options_.format == "sendmail" ? write_sendmail
                          : options_.format == "ses"      ? write_ses
                          : options_.format == "exchange" ? write_exchange
                                                          : write_postfix;
  std::mt19937_64 cosmetic(options_.seed ^ 0x5DEECE66Dull);
  LineQueue lines;
  std::string buf = options_.format == "exchange" ? exchange_header() : "";
  std::uint64_t written = 0, messages = 0;
  const std::uint64_t limit = options_.messages ? options_.messages : 1000;
  const auto more = [&] {
    return options_.bytes ? written + buf.size() < options_.bytes : messages < limit;
  };
  bool producing = true;
  while (producing || !lines.empty()) {
    producing = producing && more();
    std::int64_t horizon = INT64_MAX;
    if (producing) {
      const Message m = traffic.next();
      write(m, lines, cosmetic);
      ++messages;
      horizon = m.time_ms;  // later messages only add lines after their arrival
    }
    lines.drain(horizon, buf);
    if (buf.size() > (1u << 20)) {
      out(buf);
      written += buf.size();
      buf.clear();
    }
  }
  out(buf);
}

}  // namespace bounce::corpus
