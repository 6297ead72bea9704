// Rendering generated traffic as one format's log lines: a LineQueue that
// puts the lines of overlapping messages in time order, and one writer per
// format.

#ifndef BOUNCE_CORPUS_GENERATOR_LOG_WRITER_HPP_
#define BOUNCE_CORPUS_GENERATOR_LOG_WRITER_HPP_

#include <cstdint>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "traffic.hpp"

namespace bounce::corpus {

/// Lines of many messages, handed out in time order (ties in order of adding).
class LineQueue {
 public:
  void add(std::int64_t time_ms, std::string line) {
    pending_.push(Line{time_ms, seq_++, std::move(line)});
  }
  /// Appends every line up to `horizon` (inclusive) to `out`, each with '\n'.
  void drain(std::int64_t horizon, std::string& out) {
    while (!pending_.empty() && pending_.top().time_ms <= horizon) {
      out += pending_.top().text;
      out += '\n';
      pending_.pop();
    }
  }
  bool empty() const { return pending_.empty(); }

 private:
  struct Line {
    std::int64_t time_ms;
    std::uint64_t seq;
    std::string text;
    bool operator>(const Line& o) const {
      return time_ms != o.time_ms ? time_ms > o.time_ms : seq > o.seq;
    }
  };
  std::priority_queue<Line, std::vector<Line>, std::greater<Line>> pending_;
  std::uint64_t seq_ = 0;
};

/// Calendar time of a generated log: it starts 2025-07-05 06:00:00.
struct CivilTime {
  int year, month, day, hour, minute, second, millis;  // month 1-12
};
CivilTime civil_time(std::int64_t ms);
/// The same as ISO 8601 UTC with milliseconds: "2025-07-05T06:00:00.123Z".
std::string iso_time(std::int64_t ms);
/// The same as a classic (RFC 3164) syslog time: "Jul  5 06:00:00".
std::string syslog_time(std::int64_t ms);

/// A format's writer: queues every line of one message. `rng` is for
/// cosmetic detail (process ids), never for what happened.
using LogWriter = void (*)(const Message& m, LineQueue& lines, std::mt19937_64& rng);

void write_postfix(const Message& m, LineQueue& lines, std::mt19937_64& rng);
void write_exim(const Message& m, LineQueue& lines, std::mt19937_64& rng);
void write_sendmail(const Message& m, LineQueue& lines, std::mt19937_64& rng);
void write_ses(const Message& m, LineQueue& lines, std::mt19937_64& rng);
void write_exchange(const Message& m, LineQueue& lines, std::mt19937_64& rng);

/// The header block that starts an Exchange tracking log.
const char* exchange_header();

}  // namespace bounce::corpus

#endif  // BOUNCE_CORPUS_GENERATOR_LOG_WRITER_HPP_
