// Generated traffic as an Exim main log: arrivals (<=), deliveries (=>),
// deferrals (==), bounces (**) and Completed, with Exim's own timestamps and
// classic 16-character message ids.

#include <cstdio>

#include "log_writer.hpp"

namespace bounce::corpus {
namespace {

std::string stamp(std::int64_t ms) {
  const CivilTime c = civil_time(ms);
  char head[32];
  std::snprintf(head, sizeof head, "%04d-%02d-%02d %02d:%02d:%02d ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return head;
}

void base62(std::string& out, std::uint64_t v, int digits) {
  static const char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string d(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v /= 62) d[static_cast<std::size_t>(i)] = kDigits[v % 62];
  out += d;
}

// TTTTTT-PPPPPP-SS: arrival time, a per-message number where Exim has the
// process id (unique here), and the sub-second part.
std::string message_id(const Message& m) {
  std::string id;
  base62(id, 1751695200 + static_cast<std::uint64_t>(m.time_ms / 1000), 6);
  id += '-';
  base62(id, m.serial, 6);
  id += '-';
  base62(id, static_cast<std::uint64_t>(m.time_ms % 1000), 2);
  return id;
}

// Exim's words for where the SMTP dialogue failed.
std::string after(const char* phase, const Message& m, const Recipient& r) {
  const std::string p = phase;
  if (p == "MAIL FROM") return "MAIL FROM:<" + m.sender + "> SIZE=" + std::to_string(m.size);
  if (p == "RCPT TO") return "RCPT TO:<" + r.address + ">";
  return "end of data";
}

}  // namespace

void write_exim(const Message& m, LineQueue& lines, std::mt19937_64& /*rng*/) {
  const std::string id = message_id(m);
  const auto add = [&](std::int64_t t, const std::string& text) {
    lines.add(t, stamp(t) + id + " " + text);
  };
  const std::string app = "app" + std::to_string(m.app) + ".example.com";
  add(m.time_ms + 12, "<= " + m.sender + " H=" + app + " [192.0.2." + std::to_string(20 + m.app) +
                          "] P=esmtp S=" + std::to_string(m.size) + " id=" + id + "." +
                          std::to_string(m.time_ms) + "@" + app);
  for (const Recipient& r : m.recipients) {
    const Provider& pv = *r.provider;
    const std::string host = std::string("host ") + pv.mx + " [" + pv.ip + "]";
    for (const Attempt& a : r.attempts) {
      if (!a.failure) {
        add(a.time_ms, "=> " + r.address + " R=dnslookup T=remote_smtp H=" + pv.mx + " [" + pv.ip +
                           "] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"" + pv.ok_reply +
                           "\"");
        continue;
      }
      const std::string error = "SMTP error from remote mail server after " +
                                after(a.failure->phase, m, r) + ": " + host + ": " +
                                a.failure->text;
      if (a.permanent)
        add(a.time_ms, "** " + r.address + " R=dnslookup T=remote_smtp: " + error);
      else
        add(a.time_ms, "== " + r.address + " R=dnslookup T=remote_smtp defer (-44): " + error);
    }
  }
  add(m.done_ms, "Completed");
}

}  // namespace bounce::corpus
