// The Exim line parser; see exim_parser.hpp.

#include "exim_parser.hpp"

#include "classify/give_up.hpp"
#include "text_util.hpp"

namespace bounce::formats {
namespace {

using Kind = EximEventKind;

bool alnum_run(std::string_view s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!is_alnum(s[i])) return false;
  return true;
}

// Exim's own timestamp "2024-01-25 07:00:07.402 +0100 [41004] ": sets the
// time and returns the body after it (npos when the line has none).
std::size_t parse_envelope(std::string_view s, EximEvent& e) {
  LogTime t;
  const std::size_t n = parse_iso8601(s, t);
  if (n < 19 || s[10] != ' ') return std::string_view::npos;
  std::size_t p = n;
  // " +0100" (log_timezone): the zone follows a space.
  if (!t.has_zone && p + 6 <= s.size() && s[p] == ' ' && (s[p + 1] == '+' || s[p + 1] == '-') &&
      alnum_run(s, p + 2, 4)) {
    const int hh = (s[p + 2] - '0') * 10 + (s[p + 3] - '0');
    const int mm = (s[p + 4] - '0') * 10 + (s[p + 5] - '0');
    t.offset_s = (s[p + 1] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    t.has_zone = true;
    p += 6;
  }
  e.time = t;
  e.time_text = s.substr(0, p);
  if (p < s.size() && s[p] == ' ') ++p;
  if (p < s.size() && s[p] == '[') {  // "[pid] "
    const std::size_t close = s.find("] ", p);
    if (close != std::string_view::npos) p = close + 2;
  }
  return p;
}

// The next token; a quoted value ("...", with \" escapes) stays whole.
// Spaces and quotes are found 8 bytes at a time: this runs for every field.
std::string_view next_token(std::string_view s, std::size_t& p) {
  while (p < s.size() && s[p] == ' ') ++p;
  const std::size_t start = p;
  for (;;) {
    const std::size_t hit = find_first_of_any(s, p, ' ', '"');
    if (hit == std::string_view::npos) {
      p = s.size();
      break;
    }
    if (s[hit] == ' ') {
      p = hit;
      break;
    }
    p = hit + 1;
    if (hit != start && s[hit - 1] == '\\') continue;  // an escaped quote opens nothing
    // Quoted: up to the first quote not escaped; unterminated, to the end.
    std::size_t close = p;
    while ((close = s.find('"', close)) != std::string_view::npos && s[close - 1] == '\\') ++close;
    if (close == std::string_view::npos) {
      p = s.size();
      break;
    }
    p = close + 1;
  }
  return s.substr(start, p - start);
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

std::string_view strip_angle(std::string_view v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

// "host NAME [IP]" or "NAME [IP]:port" -> name and ip.
void split_host(std::string_view text, std::string_view& host, std::string_view& ip) {
  const std::size_t open = text.find('['), close = text.find(']');
  host = trim(text.substr(0, open));
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    ip = text.substr(open + 1, close - open - 1);
}

// The error text of `**`/`==` lines: phase, remote host and reply.
void parse_error(EximEvent& e) {
  std::string_view t = e.error;
  e.reply = t;
  const std::size_t after = t.find(" after ");
  if (t.starts_with("SMTP error from remote mail") && after != std::string_view::npos) {
    std::string_view rest = t.substr(after + 7);
    const std::size_t colon = rest.find(": ");
    std::string_view phase = rest.substr(0, colon);
    if (const std::size_t c = phase.find(':'); c != std::string_view::npos)
      phase = phase.substr(0, c);
    e.phase = phase;  // "RCPT TO", "end of data", "MAIL FROM", "pipelined MAIL FROM"
    rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 2);
    if (rest.starts_with("host ")) {  // older layout: "host NAME [IP]: reply"
      const std::size_t end = rest.find("]: ");
      if (end != std::string_view::npos) {
        split_host(rest.substr(5, end + 1 - 5), e.error_host, e.remote_ip);
        rest = rest.substr(end + 3);
      }
    }
    e.reply = rest;
    return;
  }
  if (t.find("timed out") != std::string_view::npos ||
      t.find("Connection refused") != std::string_view::npos ||
      t.find("Network is unreachable") != std::string_view::npos)
    e.phase = "connect";
}

LineClass message_line(std::string_view body, EximEvent& e) {
  std::size_t p = e.id.size() + 1;
  if (body.size() <= p) return LineClass::unparsed;  // an id and nothing else
  const std::string_view rest = body.substr(p);
  static constexpr std::string_view kFlags[] = {"<=", "(=", "=>", "->", ">>", "*>", "**", "=="};
  std::string_view flag;
  for (std::string_view f : kFlags)
    if (rest.starts_with(f) && rest.size() > 2 && rest[2] == ' ') flag = f;
  if (flag.empty()) {
    if (rest == "Completed") {
      e.kind = Kind::completed;
      return LineClass::parsed;
    }
    // Frozen, Message is frozen, Spool file is locked, per-host evidence
    // ("SMTP error from ...", "host [ip] Operation timed out"): no outcome.
    return LineClass::parsed;
  }
  e.flag = flag;
  p += 3;
  e.kind = flag == "<=" || flag == "(=" ? Kind::arrival
           : flag == "**"               ? Kind::failure
           : flag == "=="               ? Kind::deferral
                                        : Kind::delivery;
  std::string_view address = next_token(body, p);
  bool ended = false;  // a token ending in ':' ends the fields; the error follows
  if (address.ends_with(':') && e.kind != Kind::arrival && address != ":blackhole:") {
    address.remove_suffix(1);
    ended = true;
  }
  e.address = address;
  while (!ended && p < body.size()) {
    const std::size_t before = p;
    std::string_view tok = next_token(body, p);
    if (tok.empty()) break;
    if (tok.ends_with(':') && (tok.find("=\"") == std::string_view::npos || tok.ends_with("\":"))) {
      tok.remove_suffix(1);
      ended = true;
    }
    if (tok.size() >= 2 && tok.front() == '<' && tok.back() == '>' && e.top_address.empty() &&
        e.router.empty()) {
      e.top_address = strip_angle(tok);
      continue;
    }
    const std::size_t eq = tok.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;  // "defer", "(-45)", "K", "for"
    const std::string_view key = tok.substr(0, eq), value = unquote(tok.substr(eq + 1));
    if (key == "R") {
      if (e.kind == Kind::arrival)
        e.parent_id = value;  // on <= lines R= names the parent
      else
        e.router = value;
    } else if (key == "T") {
      e.transport_or_subject = value;
    } else if (key == "H") {
      // "H=name [ip]:port" or "H=(helo) [ip]" or "H=name (helo) [ip]": the
      // bracketed ip may be the next token(s).
      std::string_view name = value, ip;
      std::size_t q = p;
      for (int extra = 0; extra < 2; ++extra) {
        const std::size_t save = q;
        std::string_view more = next_token(body, q);
        if (more.starts_with("(")) continue;  // helo
        if (more.starts_with("[")) {
          if (more.ends_with(':')) {
            more.remove_suffix(1);
            ended = true;
          }
          ip = more.substr(1, more.find(']') - 1);
          p = q;
        } else {
          q = save;
        }
        break;
      }
      if (e.kind == Kind::arrival) {
        e.client_host = name;
        e.client_ip = ip;
      } else {
        e.remote_host = name;
        e.remote_ip = ip;
      }
    } else if (key == "C") {
      e.confirmation = value;
    } else if (key == "id") {
      e.message_id = value;
    } else if (key == "S") {
      e.size = to_int(value);
    } else if (key == "X") {
      e.tls = value;
    }
    (void)before;
  }
  if (ended && p < body.size()) {
    e.error = trim(body.substr(p));
    parse_error(e);
  }
  if (e.kind == Kind::delivery && e.reply.empty()) e.reply = e.confirmation;
  return LineClass::parsed;
}

// "H=(helo) [ip] F=<s> rejected RCPT <r>: reason" (and "temporarily rejected").
LineClass reject_line(std::string_view body, EximEvent& e) {
  const std::size_t at = body.find("rejected RCPT <");
  if (at == std::string_view::npos) return LineClass::ignored;
  const std::size_t close = body.find('>', at + 15);
  if (close == std::string_view::npos) return LineClass::unparsed;
  e.kind = Kind::reject;
  e.address = body.substr(at + 15, close - at - 15);
  e.error = trim(body.substr(close + 1));
  if (e.error.starts_with(':')) e.error = trim(e.error.substr(1));
  e.reply = e.error;
  e.phase = "RCPT";
  if (const std::size_t f = body.find("F=<"); f != std::string_view::npos && f < at)
    e.transport_or_subject = body.substr(f + 3, body.find('>', f) - f - 3);  // the sender
  if (body.starts_with("H=")) split_host(body.substr(2, at - 2), e.client_host, e.client_ip);
  return LineClass::parsed;
}

}  // namespace

bool is_exim_id(std::string_view t) noexcept {
  if (t.size() == 16)
    return alnum_run(t, 0, 6) && t[6] == '-' && alnum_run(t, 7, 6) && t[13] == '-' &&
           alnum_run(t, 14, 2);
  if (t.size() == 23)
    return alnum_run(t, 0, 6) && t[6] == '-' && alnum_run(t, 7, 11) && t[18] == '-' &&
           alnum_run(t, 19, 4);
  return false;
}

LineClass parse_exim_line(std::string_view line, EximEvent& e) noexcept {
  e = EximEvent{};
  std::string_view s = line;
  // Through syslog: "Jan 25 14:02:10 mx2 exim[14706]: <Exim's own line>".
  if (!s.empty() && !is_digit(s[0])) {
    const SyslogLine sl = parse_syslog_line(s);
    if (!sl.has_header) return LineClass::unparsed;
    if (daemon_of(sl.program) != "exim") return LineClass::ignored;  // CRON and friends
    e.host = sl.host;
    s = sl.message;
  }
  const std::size_t body_at = parse_envelope(s, e);
  if (body_at == std::string_view::npos || body_at > s.size()) return LineClass::unparsed;
  const std::string_view body = s.substr(body_at);
  const std::size_t sp = body.find(' ');
  const std::string_view first = body.substr(0, sp);
  if (is_exim_id(first)) {
    e.id = first;
    return message_line(body, e);
  }
  return reject_line(body, e);
}

std::string_view exim_recipient(const EximEvent& e) noexcept {
  return e.address.find('@') != std::string_view::npos || e.top_address.empty() ? e.address
                                                                                : e.top_address;
}

std::string_view exim_remote_host(const EximEvent& e) noexcept {
  return e.remote_host.empty() ? e.error_host : e.remote_host;
}

Outcome exim_outcome(const EximEvent& e) noexcept {
  if (e.flag == "*>" || e.address == ":blackhole:") return Outcome::dropped;
  if (e.kind == EximEventKind::failure)
    return e.error.find("retry timeout exceeded") != std::string_view::npos ? Outcome::expired
                                                                            : Outcome::bounced;
  return e.kind == EximEventKind::deferral ? Outcome::deferred : Outcome::delivered;
}

void classify_exim_event(const Classifier& classifier, EximEvent& e) noexcept {
  if (e.kind == EximEventKind::reject) {  // our own server's reply: no remote host
    e.classification = classifier.classify(0, {}, e.reply, ClassifyContext{.phase = e.phase});
    return;
  }
  if (e.kind != EximEventKind::delivery && e.kind != EximEventKind::failure &&
      e.kind != EximEventKind::deferral)
    return;
  const Outcome outcome = exim_outcome(e);
  const ClassifyContext context{.phase = e.phase,
                                .remote_host = exim_remote_host(e),
                                .recipient_domain = domain_of(exim_recipient(e))};
  // A local, pipe or file delivery (or a discard) has no SMTP reply: the
  // outcome speaks, as a success.
  const bool no_reply =
      e.reply.empty() && (outcome == Outcome::delivered || outcome == Outcome::dropped);
  e.classification = no_reply ? classifier.classify_delivery(context)
                              : classifier.classify(0, {}, e.reply, context);
  if (outcome == Outcome::expired) give_up(e.classification);
}

}  // namespace bounce::formats
