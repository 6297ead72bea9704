// Generated traffic as a Postfix log: smtpd, cleanup, qmgr and smtp lines
// with classic syslog timestamps on host mx1, and some interleaved amavis lines.

#include <cstdio>

#include "log_writer.hpp"

namespace bounce::corpus {
namespace {

// The syslog header's start: time and host.
std::string stamp(std::int64_t ms) { return syslog_time(ms) + " mx1 "; }

std::string queue_id(std::uint64_t serial) {
  char b[16];
  std::snprintf(
      b, sizeof b, "%010llX",
      static_cast<unsigned long long>((serial * 0x9E3779B97F4A7C15ull) >> 24) & 0xFFFFFFFFFFull);
  return b;
}

}  // namespace

void write_postfix(const Message& m, LineQueue& lines, std::mt19937_64& rng) {
  const auto add = [&](std::int64_t t, const char* daemon, const std::string& text) {
    lines.add(t, stamp(t) + "postfix/" + daemon + "[" + std::to_string(1000 + rng() % 60000) +
                     "]: " + text);
  };
  const std::string q = queue_id(m.serial), t0 = std::to_string(m.time_ms);
  const std::string app = "app" + std::to_string(m.app) + ".example.com";
  const std::string client = app + "[192.0.2." + std::to_string(20 + m.app) + "]";
  const std::string nrcpt = std::to_string(m.recipients.size());
  add(m.time_ms, "smtpd", "connect from " + client);
  add(m.time_ms + 5, "smtpd", q + ": client=" + client);
  add(m.time_ms + 9, "cleanup", q + ": message-id=<" + q + "." + t0 + "@" + app + ">");
  add(m.time_ms + 12, "qmgr",
      q + ": from=<" + m.sender + ">, size=" + std::to_string(m.size) + ", nrcpt=" + nrcpt +
          " (queue active)");
  add(m.time_ms + 14, "smtpd",
      "disconnect from " + client + " ehlo=1 mail=1 rcpt=" + nrcpt + " data=1 quit=1 commands=5");
  if (m.serial % 20 == 7)  // other programs log to the same file
    lines.add(m.time_ms + 13, stamp(m.time_ms + 13) + "amavis[" + std::to_string(rng() % 9000) +
                                  "]: (" + std::to_string(rng() % 99999) +
                                  "-01) Passed CLEAN {RelayedOutbound}, [192.0.2.21] <" + m.sender +
                                  "> -> <someone@example.org>");
  for (const Recipient& r : m.recipients) {
    const Provider& pv = *r.provider;
    for (const Attempt& a : r.attempts) {
      const std::int64_t delay = a.time_ms - m.time_ms;
      const std::string status = !a.failure ? "sent" : a.permanent ? "bounced" : "deferred";
      const std::string text = !a.failure ? std::string(pv.ok_reply)
                                          : std::string("host ") + pv.mx + "[" + pv.ip +
                                                "] said: " + a.failure->text + " (in reply to " +
                                                a.failure->phase + " command)";
      add(a.time_ms, "smtp",
          q + ": to=<" + r.address + ">, relay=" + pv.mx + "[" + pv.ip + "]:25, delay=" +
              std::to_string(delay / 1000) + "." + std::to_string(delay / 100 % 10) +
              ", delays=0.01/0/0.3/0.2, dsn=" + (a.failure ? a.failure->dsn : "2.0.0") +
              ", status=" + status + " (" + text + ")");
    }
  }
  add(m.done_ms, "qmgr", q + ": removed");
}

}  // namespace bounce::corpus
