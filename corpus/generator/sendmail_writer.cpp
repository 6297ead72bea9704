// Generated traffic as a Sendmail (sm-mta) log on host mx1: the from= line
// when a message is queued, one to= line per recipient and attempt, and the
// DSN link after a bounce. As Sendmail does, a delivery keeps the reply text
// without its codes, a deferral the whole reply, and a bounce only Sendmail's
// own word ("User unknown", "Service unavailable") beside the reply's dsn.

#include <cstdio>

#include "log_writer.hpp"

namespace bounce::corpus {
namespace {

constexpr char kBase60[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx";

// The syslog header's start: time and host.
std::string stamp(std::int64_t ms) { return syslog_time(ms) + " mx1 "; }

// Sendmail 8.12+ ids, YMDhmsNNPPPPPP: the queueing time in base 60, a
// sequence number and the process id. `nn` and `pid` make the id unique here:
// a message takes its serial; a bounce notification 'x' and the recipient.
std::string queue_id(std::int64_t ms, unsigned nn, std::uint64_t pid) {
  const CivilTime c = civil_time(ms);
  char b[16];
  std::snprintf(b, sizeof b, "%c%c%c%c%c%c%c%c%06llu", kBase60[(c.year - 1900) % 60],
                kBase60[c.month - 1], kBase60[c.day], kBase60[c.hour], kBase60[c.minute],
                kBase60[c.second], kBase60[nn / 60 % 60], kBase60[nn % 60],
                static_cast<unsigned long long>(pid % 1000000));
  return b;
}

// `[D+]HH:MM:SS`.
std::string duration(std::int64_t ms) {
  const std::int64_t s = ms / 1000;
  char b[32];
  if (s >= 86400)
    std::snprintf(b, sizeof b, "%lld+%02lld:%02lld:%02lld", static_cast<long long>(s / 86400),
                  static_cast<long long>(s / 3600 % 24), static_cast<long long>(s / 60 % 60),
                  static_cast<long long>(s % 60));
  else
    std::snprintf(b, sizeof b, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return b;
}

// The reply text after its basic and enhanced codes ("250 2.0.0 OK ..." -> "OK ...").
std::string_view without_codes(std::string_view reply) {
  if (reply.size() > 4 && reply[3] == ' ') reply.remove_prefix(4);
  if (reply.size() > 6 && reply[1] == '.' && reply.find(' ') <= 7)
    reply.remove_prefix(reply.find(' ') + 1);
  return reply;
}

// What Sendmail logs for a remote 5xx (usersmtp.c): "User unknown" for 550,
// 551 and 553 to RCPT TO, "Service unavailable" for any other.
const char* refusal_word(const Failure& f) {
  const std::string_view text = f.text, phase = f.phase;
  const bool nouser = phase == "RCPT TO" && (text.starts_with("550") || text.starts_with("551") ||
                                             text.starts_with("553"));
  return nouser ? "User unknown" : "Service unavailable";
}

}  // namespace

void write_sendmail(const Message& m, LineQueue& lines, std::mt19937_64& rng) {
  const std::uint64_t pid = 10000 + rng() % 50000;
  const auto add = [&](std::int64_t t, const std::string& text) {
    lines.add(t, stamp(t) + "sm-mta[" + std::to_string(pid) + "]: " + text);
  };
  const unsigned nn = static_cast<unsigned>(m.serial / 1000000 % 3540);  // 'x' is for bounces
  const std::string q = queue_id(m.time_ms, nn, m.serial);
  const std::string app = "app" + std::to_string(m.app) + ".example.com";
  add(m.time_ms + 12, q + ": from=<" + m.sender + ">, size=" + std::to_string(m.size) +
                          ", class=0, nrcpts=" + std::to_string(m.recipients.size()) + ", msgid=<" +
                          q + "." + std::to_string(m.time_ms) + "@" + app +
                          ">, proto=ESMTP, daemon=MTA, relay=" + app + " [192.0.2." +
                          std::to_string(20 + m.app) + "]");
  unsigned bounces = 0;
  for (const Recipient& r : m.recipients) {
    const Provider& pv = *r.provider;
    for (const Attempt& a : r.attempts) {
      std::string dsn = "2.0.0", stat = "Sent (" + std::string(without_codes(pv.ok_reply)) + ")";
      if (a.failure) {
        dsn = a.failure->dsn;
        stat = a.permanent ? refusal_word(*a.failure) : "Deferred: " + std::string(a.failure->text);
      }
      add(a.time_ms, q + ": to=<" + r.address + ">, delay=" + duration(a.time_ms - m.time_ms) +
                         ", xdelay=00:00:01, mailer=esmtp, pri=" +
                         std::to_string(30000 + m.size + 90000 * (&a - r.attempts.data())) +
                         ", relay=" + pv.mx + ". [" + pv.ip + "], dsn=" + dsn + ", stat=" + stat);
      if (a.failure && a.permanent)
        add(a.time_ms + 1, q + ": " + queue_id(a.time_ms + 1, 3540 + bounces++, m.serial) +
                               ": DSN: " + refusal_word(*a.failure));
    }
  }
}

}  // namespace bounce::corpus
