// Postfix line parser. The delivery line grammar is Postfix's own
// (src/global/log_adhoc.c): `to=<R>[, orig_to=<O>], relay=R[, conn_use=N],
// delay=D, delays=a/b/c/d[, tls=...], dsn=X.Y.Z, status=S (TEXT)`. It is read
// key by key so that optional and future keys are tolerated; TEXT is the rest
// of the line (it may itself contain ", " and parentheses).

#include "postfix_event.hpp"
#include "text_util.hpp"

#include <charconv>
#include <limits>

namespace bounce::formats {
namespace {

using Kind = PostfixEventKind;

// An address value: "<a@b>", "<>" or a bare "a@b"; a lone '<' means the line was cut.
bool address_ok(std::string_view v) noexcept {
  return v.empty() || v.front() != '<' || (v.size() >= 2 && v.back() == '>');
}

std::string_view strip_angle(std::string_view v) noexcept {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

// Postfix queue ids: classic upper-case hex, long base-52 ids with digits,
// anonymised "7E1AEC2C388XXXX". Words such as "warning", "statistics" and
// "Requeued" are not queue ids (no digit and not upper-case hex).
bool is_queue_id(std::string_view t) noexcept {
  if (t.size() < 5 || t.size() > 24) return false;
  // Branch-free over the characters (a branch per character mispredicts on
  // ids that mix digits and letters): AND and OR the classes of all of them.
  std::uint8_t all = 0xFF, any = 0;
  for (char ch : t) {
    const std::uint8_t c = char_class::kTable[static_cast<unsigned char>(ch)];
    all &= c;
    any |= c;
  }
  return (all & char_class::alnum) && ((any & char_class::digit) || (all & char_class::upper_hex));
}

// "QID: rest" -> queue id and rest; false when the message has no queue id.
bool split_queue_id(std::string_view msg, std::string_view& qid, std::string_view& rest) noexcept {
  const std::size_t colon = msg.find(": ");
  if (colon == std::string_view::npos) return false;
  const std::string_view id = msg.substr(0, colon);
  if (!is_queue_id(id) && id != "NOQUEUE") return false;
  qid = id;
  rest = msg.substr(colon + 2);
  return true;
}

double to_double(std::string_view v) noexcept {
  // Postfix writes delays as "0.4", "12", "0.02": up to 15 digits with at
  // most 15 after the point are exact as integer / 10^k (both exact doubles,
  // one correctly rounded division), the same value from_chars gives.
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  std::uint64_t mantissa = 0;
  std::size_t i = 0, digits = 0, point = v.size();
  for (; i < v.size(); ++i) {
    const char c = v[i];
    if (is_digit(c)) {
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    } else if (c == '.' && point == v.size()) {
      point = i;
    } else {
      break;
    }
  }
  if (i == v.size() && digits > 0 && digits <= 15 && point != 0 && point + 1 != v.size())
    return static_cast<double>(mantissa) / kPow10[point == v.size() ? 0 : v.size() - point - 1];
  // from_chars also reads "inf", "nan" and "-2": no delay, so absent (-1).
  double d = -1;
  const auto r = std::from_chars(v.data(), v.data() + v.size(), d);
  return r.ec == std::errc{} && d >= 0 && d <= std::numeric_limits<double>::max() ? d : -1;
}

// host[ip]:port, host[ip], [ip]:port, host[/socket/path], none, local.
void split_relay(std::string_view relay, std::string_view& host, std::string_view& ip,
                 int& port) noexcept {
  host = relay;
  ip = {};
  port = 0;
  const std::size_t open = relay.find('[');
  if (open == std::string_view::npos) {
    if (relay == "none") host = {};
    return;
  }
  const std::size_t close = relay.find(']', open);
  if (close == std::string_view::npos) return;
  host = relay.substr(0, open);
  ip = relay.substr(open + 1, close - open - 1);
  if (!ip.empty() && ip.front() == '/') ip = {};  // a unix socket, e.g. [private/dovecot-lmtp]
  if (ip.starts_with("private/") || ip.starts_with("public/")) ip = {};
  if (close + 1 < relay.size() && relay[close + 1] == ':')
    port = static_cast<int>(to_int(relay.substr(close + 2)));
}

// Reads the leading basic reply code of a remote reply ("550 ...", "550-5.1.1").
int leading_reply_code(std::string_view s) noexcept {
  if (s.size() < 3 || s[0] < '2' || s[0] > '5' || !is_digit(s[1]) || !is_digit(s[2])) return 0;
  if (s.size() > 3 && s[3] != ' ' && s[3] != '-') return 0;
  return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

// Splits a status text into remote host, reply text, reply code and phase.
void parse_status_text(std::string_view text, PostfixEvent& e) noexcept {
  std::string_view t = text;
  if (t.starts_with("delivery temporarily suspended: ")) t.remove_prefix(32);
  e.reply_text = t;
  if (t.starts_with("host ")) {
    const std::size_t said = t.find(" said: ");
    if (said != std::string_view::npos) {
      std::string_view host_part = t.substr(5, said - 5);
      const std::size_t bracket = host_part.find('[');
      e.remote_host = host_part.substr(0, bracket);
      std::string_view reply = t.substr(said + 7);
      // "(in reply to RCPT TO command)" ends the text.
      const std::size_t in_reply = reply.rfind(" (in reply to ");
      if (in_reply != std::string_view::npos && reply.ends_with(" command)")) {
        e.phase = reply.substr(in_reply + 14, reply.size() - in_reply - 14 - 9);
        reply = reply.substr(0, in_reply);
      }
      e.reply_text = reply;
      e.reply_code = leading_reply_code(reply);
      return;
    }
  }
  if (t.starts_with("connect to ")) {
    const std::size_t bracket = t.find('[', 11);
    const std::size_t colon = t.find(": ", 11);
    e.remote_host = t.substr(11, std::min(bracket, colon) - 11);
    e.phase = "connect";
    return;
  }
  if (t.starts_with("lost connection with ") || t.starts_with("conversation with ")) {
    const std::size_t start = t.find(" with ") + 6;
    const std::size_t bracket = t.find('[', start);
    if (bracket != std::string_view::npos) e.remote_host = t.substr(start, bracket - start);
    const std::size_t w = t.find(" while ");
    e.phase = w == std::string_view::npos ? std::string_view("connect") : t.substr(w + 7);
    return;
  }
  if (t.starts_with("Host or domain name not found") || t.find("Name service error") == 0) {
    e.phase = "DNS";
    return;
  }
  e.reply_code = leading_reply_code(t);
}

// Iterates "key=value, key=value" pairs; `on_pair` returns false to stop. The
// status key takes the rest of the line. Returns false on a malformed key.
template <class F>
bool for_each_pair(std::string_view s, F&& on_pair) noexcept {
  std::size_t eq = 0;  // where the key ends: found for each pair by the one before it
  while (eq < s.size() && is_key_char(s[eq])) ++eq;
  while (!s.empty()) {
    if (eq == 0 || eq == s.size() || s[eq] != '=') return false;
    const std::string_view key = s.substr(0, eq);
    std::string_view rest = s.substr(eq + 1);
    if (key == "status") {
      on_pair(key, rest);
      return true;
    }
    // The value ends at the next ", key=" (a value such as <a, b> is rare but
    // the next token must look like a key for the split to count).
    std::size_t end = 0, k = 0;
    for (;;) {
      end = rest.find(", ", end);
      if (end == std::string_view::npos) break;
      k = end + 2;
      while (k < rest.size() && is_key_char(rest[k])) ++k;
      if (k < rest.size() && rest[k] == '=' && k > end + 2) break;
      end += 2;
    }
    const std::string_view value = rest.substr(0, end);
    if (!on_pair(key, value)) return true;
    if (end == std::string_view::npos) return true;
    s = rest.substr(end + 2);
    eq = k - (end + 2);
  }
  return true;
}

LineClass parse_delivery(std::string_view body, PostfixEvent& e) noexcept {
  e.kind = Kind::delivery;
  bool have_status = false;
  const bool ok = for_each_pair(body, [&](std::string_view key, std::string_view value) {
    if (key == "to") {
      if (!address_ok(value)) return false;
      e.recipient = strip_angle(value);
    } else if (key == "orig_to") {
      e.orig_recipient = strip_angle(value);
    } else if (key == "relay") {
      e.relay = value;
      split_relay(value, e.relay_host, e.relay_ip, e.relay_port);
    } else if (key == "delay") {
      e.delay = to_double(value);
    } else if (key == "delays") {
      e.delays = value;
    } else if (key == "dsn") {
      e.dsn = value;
    } else if (key == "tls") {
      e.tls = value;
    } else if (key == "conn_use") {
      e.conn_use = value;
    } else if (key == "status") {
      // "sent (250 2.0.0 Ok)" - the text runs to the line's last ')'.
      const std::size_t space = value.find(' ');
      e.status = value.substr(0, space);
      if (space != std::string_view::npos) {
        std::string_view text = value.substr(space + 1);
        if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
        e.diagnostic = text.substr(1, text.size() - 2);
        parse_status_text(e.diagnostic, e);
      }
      have_status = !e.status.empty();
      return false;  // the status text ends the line
    }
    return true;
  });
  if (!ok || !have_status || e.recipient.empty()) return LineClass::unparsed;
  return LineClass::parsed;
}

// qmgr "from=<s>, size=N, nrcpt=N (queue active)" or "from=<s>, status=expired, returned to
// sender".
LineClass parse_from(std::string_view body, PostfixEvent& e) noexcept {
  e.kind = Kind::queued;
  bool ok_from = false;
  const bool ok = for_each_pair(body, [&](std::string_view key, std::string_view value) {
    if (key == "from") {
      if (!address_ok(value)) return false;
      e.sender = strip_angle(value);
      e.has_sender = ok_from = true;
    } else if (key == "size") {
      e.size = to_int(value);
    } else if (key == "nrcpt") {
      e.nrcpt = static_cast<int>(to_int(value));
    } else if (key == "status") {
      if (value.starts_with("expired") || value.starts_with("force-expired")) {
        e.kind = Kind::expired;
        e.status = value.substr(0, value.find(','));
      }
      return false;
    }
    return true;
  });
  return ok && ok_from ? LineClass::parsed : LineClass::unparsed;
}

// smtpd "client=host[ip][, sasl_method=..., orig_queue_id=Q, orig_client=...]".
LineClass parse_client(std::string_view body, PostfixEvent& e) noexcept {
  e.kind = Kind::client;
  for_each_pair(body, [&](std::string_view key, std::string_view value) {
    if (key == "client") {
      int port = 0;
      split_relay(value, e.client_host, e.client_ip, port);
    } else if (key == "orig_queue_id") {
      e.new_queue_id = value;
    }
    return true;
  });
  return e.client_host.empty() && e.client_ip.empty() ? LineClass::unparsed : LineClass::parsed;
}

// pickup "uid=N from=<s>[ orig_id=Q]" (space separated).
LineClass parse_pickup(std::string_view body, PostfixEvent& e) noexcept {
  e.kind = Kind::pickup;
  const std::size_t from = body.find(" from=");
  if (from == std::string_view::npos) return LineClass::unparsed;
  std::string_view rest = body.substr(from + 6);
  const std::size_t sp = rest.find(' ');
  e.sender = strip_angle(rest.substr(0, sp));
  e.has_sender = true;
  if (sp != std::string_view::npos) {
    const std::string_view tail = rest.substr(sp + 1);
    if (tail.starts_with("orig_id=")) e.new_queue_id = tail.substr(8, tail.find(' ', 8) - 8);
  }
  return LineClass::parsed;
}

// "reject: RCPT from H[ip]: 554 5.7.1 ...; from=<S> to=<R> proto=ESMTP helo=<h>"
// (postscreen separates the trailing fields with ", ").
LineClass parse_reject(std::string_view body, PostfixEvent& e) noexcept {
  e.kind = Kind::reject;
  const std::size_t sp = body.find(' ');
  if (sp == std::string_view::npos) return LineClass::unparsed;
  const std::string_view stage = body.substr(0, sp);
  e.phase = stage == "END-OF-MESSAGE" ? std::string_view("end of DATA") : stage;
  std::string_view rest = body.substr(sp + 1);
  if (!rest.starts_with("from ")) return LineClass::unparsed;
  rest.remove_prefix(5);
  const std::size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return LineClass::unparsed;
  int port = 0;
  split_relay(rest.substr(0, colon), e.client_host, e.client_ip, port);
  rest = rest.substr(colon + 2);
  std::size_t fields = rest.rfind("; from=<");
  if (fields == std::string_view::npos) fields = rest.rfind("; to=<");
  if (fields == std::string_view::npos) return LineClass::unparsed;
  e.diagnostic = rest.substr(0, fields);
  e.reply_text = e.diagnostic;
  e.reply_code = leading_reply_code(e.diagnostic);
  std::string_view tail = rest.substr(fields + 2);
  while (!tail.empty()) {
    std::size_t end = tail.find(' ');
    std::string_view item = tail.substr(0, end);
    if (item.ends_with(',')) item.remove_suffix(1);
    if (item.starts_with("from=")) {
      e.sender = strip_angle(item.substr(5));
      e.has_sender = true;
    } else if (item.starts_with("to=")) {
      e.recipient = strip_angle(item.substr(3));
    }
    if (end == std::string_view::npos) break;
    tail.remove_prefix(end + 1);
  }
  return e.recipient.empty() ? LineClass::unparsed : LineClass::parsed;
}

}  // namespace

void classify_postfix_event(const Classifier& classifier, PostfixEvent& e) noexcept {
  if (e.kind == Kind::delivery) {
    const std::size_t at = e.recipient.rfind('@');
    e.classification = classifier.classify(
        e.reply_code, e.dsn, e.reply_text,
        ClassifyContext{.phase = e.phase,
                        .remote_host = e.remote_host.empty() ? e.relay_host : e.remote_host,
                        .recipient_domain = at == std::string_view::npos
                                                ? std::string_view{}
                                                : e.recipient.substr(at + 1)});
  } else if (e.kind == Kind::reject) {
    // The rejection is our own server's reply: no remote host, no provider.
    e.classification =
        classifier.classify(e.reply_code, {}, e.reply_text, ClassifyContext{.phase = e.phase});
  }
}

LineClass parse_postfix_message(std::string_view daemon, std::string_view msg,
                                PostfixEvent& e) noexcept {
  std::string_view qid, body;
  if (!split_queue_id(msg, qid, body)) {  // connect from, warning:, ...: nothing to reset
    e.kind = Kind::none;
    return LineClass::ignored;
  }
  e = PostfixEvent{};
  e.daemon = daemon;
  e.queue_id = qid == "NOQUEUE" ? std::string_view{} : qid;
  if (qid == "NOQUEUE") {
    if (body.starts_with("reject: ")) return parse_reject(body.substr(8), e);
    if (body.starts_with("milter-reject: ")) return parse_reject(body.substr(15), e);
    return LineClass::ignored;  // NOQUEUE: filter/hold/discard notices
  }
  // One switch on the first byte: the prefixes below differ in it, or are
  // tried in the order they were always tried.
  switch (body.empty() ? '\0' : body[0]) {
    case 't':
      if (body.starts_with("to=")) return parse_delivery(body, e);
      break;
    case 'f':
      if (body.starts_with("from=")) return parse_from(body, e);
      break;
    case 'c':
      if (body.starts_with("client=")) return parse_client(body, e);
      break;
    case 'm':
      if (body.starts_with("message-id=")) {
        e.kind = Kind::message_id;
        e.message_id = strip_angle(body.substr(11));
        return LineClass::parsed;
      }
      if (body.starts_with("milter-reject: ")) return parse_reject(body.substr(15), e);
      break;
    case 'r':
      if (body.starts_with("resent-message-id=")) return LineClass::parsed;
      if (body == "removed") {
        e.kind = Kind::removed;
        return LineClass::parsed;
      }
      if (body.starts_with("reject: ")) return parse_reject(body.substr(8), e);
      if (body == "requeued") {
        e.kind = Kind::requeued;
        return LineClass::parsed;
      }
      break;
    case 'u':
      if (body.starts_with("uid=")) return parse_pickup(body, e);
      break;
    case 'h':
      if (body.starts_with("host ") && body.find(" said: ") != std::string_view::npos) {
        e.kind = Kind::mx_evidence;
        e.diagnostic = body;
        parse_status_text(body, e);
        return LineClass::parsed;
      }
      break;
    case 's':
    case 'p':
      if (body.starts_with("sender ") || body.starts_with("postmaster ")) {
        const std::size_t colon = body.rfind(": ");
        if (colon != std::string_view::npos &&
            body.find("notification") != std::string_view::npos) {
          e.kind = Kind::notification;
          e.notification_kind = body.substr(0, colon);
          e.new_queue_id = body.substr(colon + 2);
          return is_queue_id(e.new_queue_id) ? LineClass::parsed : LineClass::unparsed;
        }
      }
      break;
    case 'e':
      if (body == "expired") return LineClass::parsed;  // postsuper -e; qmgr logs the expiry
      break;
    default:
      break;
  }
  return LineClass::ignored;  // other per-queue-id notices (warning: header, filter, hold)
}

}  // namespace bounce::formats
