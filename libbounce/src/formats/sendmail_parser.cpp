// The Sendmail line parser; see sendmail_parser.hpp. Facts: sendmail/headers.c
// logsender(), deliver.c logdelivery(), savemail.c, parseaddr.c (the
// `<addr>... text` form of usrerr()).

#include "sendmail_parser.hpp"

#include "text_util.hpp"

namespace bounce::formats {
namespace {

// Sendmail 8.12+ queue ids are 14 characters; older releases used 8-12.
bool is_qid(std::string_view s) noexcept {
  if (s.size() < 8 || s.size() > 20) return false;
  for (char c : s)
    if (!is_alnum(c)) return false;
  return true;
}

// Splits "QID: rest"; false when the message does not start with a queue id.
bool take_qid(std::string_view& text, std::string_view& qid) noexcept {
  const std::size_t colon = text.find(": ");
  if (colon == std::string_view::npos || !is_qid(text.substr(0, colon))) return false;
  qid = text.substr(0, colon);
  text.remove_prefix(colon + 2);
  return true;
}

// Where the value of the field starting at `from` ends: at "," (then spaces)
// followed by `key=`, or at the end for the fields that end the line.
std::size_t value_end(std::string_view text, std::size_t from) noexcept {
  for (std::size_t i = text.find(',', from); i != std::string_view::npos;
       i = text.find(',', i + 1)) {
    std::size_t k = i + 1;
    while (k < text.size() && text[k] == ' ') ++k;
    const std::size_t key = k;
    while (k < text.size() && (is_alnum(text[k]) || text[k] == '_')) ++k;
    if (k > key && k < text.size() && text[k] == '=' && is_alpha(text[key])) return i;
  }
  return text.size();
}

// Calls f(key, value) for each `key=value`; false when the text is not a list.
template <typename F>
bool for_each_field(std::string_view text, F&& f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eq = text.find('=', pos);
    if (eq == std::string_view::npos || eq == pos) return false;
    const std::string_view key = text.substr(pos, eq - pos);
    for (char c : key)
      if (!is_alnum(c) && c != '_') return false;
    const bool to_end = key == "stat" || key == "reject";
    const std::size_t end = to_end ? text.size() : value_end(text, eq + 1);
    f(key, trim(text.substr(eq + 1, end - eq - 1)));
    pos = end;
    while (pos < text.size() && (text[pos] == ',' || text[pos] == ' ')) ++pos;
  }
  return true;
}

std::string_view unbracket(std::string_view s) noexcept {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
  return s;
}

LineClass parse_from_or_to(std::string_view body, SendmailEvent& out) noexcept {
  bool ok = true;
  std::string_view relay;
  const bool list = for_each_field(body, [&](std::string_view key, std::string_view value) {
    if (key == "from") {
      out.sender = unbracket(value);
    } else if (key == "to") {
      out.to = value;
    } else if (key == "size") {
      out.size = to_int(value);
    } else if (key == "nrcpts") {
      out.nrcpts = static_cast<int>(to_int(value));
    } else if (key == "msgid") {
      out.msgid = unbracket(value);
    } else if (key == "proto") {
      out.proto = value;
    } else if (key == "ctladdr") {
      out.ctladdr = value;
    } else if (key == "mailer") {
      out.mailer = value;
    } else if (key == "relay") {
      relay = value;
    } else if (key == "dsn") {
      out.dsn = value;
    } else if (key == "stat") {
      out.stat = value;
    } else if (key == "delay") {
      out.delay_s = parse_sendmail_delay(value);
      ok = ok && out.delay_s >= 0;
    }
  });
  if (!list || !ok) return LineClass::unparsed;
  split_sendmail_relay(relay, out.relay_host, out.relay_ip);
  if (out.kind == SendmailEventKind::to && (out.to.empty() || out.stat.empty()))
    return LineClass::unparsed;
  return LineClass::parsed;
}

// "ruleset=check_rcpt, arg1=<a>, relay=..., reject=550 5.7.1 <a>... text":
// a recipient refused. Other rulesets (check_relay, check_mail) name none.
LineClass parse_ruleset(std::string_view body, SendmailEvent& out) noexcept {
  std::string_view ruleset, arg1, relay, reject;
  const bool list = for_each_field(body, [&](std::string_view key, std::string_view value) {
    if (key == "ruleset") ruleset = value;
    if (key == "arg1") arg1 = value;
    if (key == "relay") relay = value;
    if (key == "reject") reject = value;
  });
  if (!list) return LineClass::unparsed;
  if (ruleset != "check_rcpt" || reject.empty()) return LineClass::ignored;
  out.kind = SendmailEventKind::reject;
  out.recipient = unbracket(arg1);
  out.reject_text = reject;
  split_sendmail_relay(relay, out.relay_host, out.relay_ip);
  return LineClass::parsed;
}

}  // namespace

bool is_sendmail_program(std::string_view program) noexcept {
  const std::string_view d = daemon_of(program);
  return d == "sendmail" || d == "sm-mta" || d == "sm-msp-queue";
}

double parse_sendmail_delay(std::string_view text) noexcept {
  std::int64_t days = 0;
  if (const std::size_t plus = text.find('+'); plus != std::string_view::npos) {
    if (plus == 0) return -1;
    for (char c : text.substr(0, plus))
      if (!is_digit(c)) return -1;
    if (plus > 6) return -1;  // beyond any queue lifetime (and any overflow)
    days = to_int(text.substr(0, plus));
    text.remove_prefix(plus + 1);
  }
  if (text.size() != 8 || text[2] != ':' || text[5] != ':') return -1;
  for (std::size_t i : {0, 1, 3, 4, 6, 7})
    if (!is_digit(text[i])) return -1;
  const std::int64_t h = to_int(text.substr(0, 2)), m = to_int(text.substr(3, 2)),
                     s = to_int(text.substr(6, 2));
  return static_cast<double>(((days * 24 + h) * 60 + m) * 60 + s);
}

void split_sendmail_relay(std::string_view value, std::string_view& host,
                          std::string_view& ip) noexcept {
  host = ip = {};
  value = trim(value);
  if (value.empty() || value.find('@') != std::string_view::npos) return;
  std::string_view name = value;
  if (const std::size_t sp = value.find(" ["); sp != std::string_view::npos) {
    name = value.substr(0, sp);
    std::string_view addr = value.substr(sp + 2);
    addr = addr.substr(0, addr.find(']'));
    ip = addr;
  } else if (value.front() == '[') {
    name = {};
    ip = value.substr(1, value.find(']') - 1);
  }
  if (ip.starts_with("IPv6:")) ip.remove_prefix(5);
  if (name.starts_with('[')) name = {};  // `[127.0.0.1] [127.0.0.1]`: no name
  if (name.ends_with('.')) name.remove_suffix(1);
  host = name;
}

std::string_view sendmail_recipient_address(std::string_view entry) noexcept {
  entry = trim(entry);
  if (const std::size_t lt = entry.rfind('<'); lt != std::string_view::npos) {
    const std::size_t gt = entry.find('>', lt);
    if (gt != std::string_view::npos) entry = entry.substr(lt + 1, gt - lt - 1);
  }
  if (entry.size() >= 2 && entry.front() == '"' && entry.back() == '"')
    entry = entry.substr(1, entry.size() - 2);
  if (entry.starts_with('|') || entry.starts_with('/')) return {};
  return entry;
}

LineClass parse_sendmail_line(std::string_view line, SendmailEvent& out) noexcept {
  out = SendmailEvent{};
  out.header = parse_syslog_line(line);
  if (!out.header.has_header) return LineClass::unparsed;
  if (!is_sendmail_program(out.header.program)) return LineClass::ignored;
  std::string_view body = out.header.message;
  // Lines without a queue id (STARTTLS=, AUTH=, starting daemon, load
  // average notes) carry no per-recipient facts.
  if (!take_qid(body, out.qid)) return LineClass::ignored;
  if (body.starts_with("from=")) {
    out.kind = SendmailEventKind::from;
    return parse_from_or_to(body, out);
  }
  if (body.starts_with("to=")) {
    out.kind = SendmailEventKind::to;
    return parse_from_or_to(body, out);
  }
  if (body.starts_with("ruleset=")) return parse_ruleset(body, out);
  if (body.starts_with('<')) {  // usrerr(): "<addr>... User unknown"
    const std::size_t dots = body.find(">... ");
    if (dots == std::string_view::npos) return LineClass::ignored;
    out.kind = SendmailEventKind::reject;
    out.recipient = body.substr(1, dots - 1);
    out.reject_text = trim(body.substr(dots + 5));
    return LineClass::parsed;
  }
  std::string_view link = body;
  std::string_view new_qid;
  if (take_qid(link, new_qid)) {
    for (std::string_view kind : {"DSN", "return to sender", "sender notify", "postmaster notify"})
      if (link.starts_with(kind) && link.substr(kind.size()).starts_with(": ")) {
        out.kind = SendmailEventKind::link;
        out.new_qid = new_qid;
        out.link_kind = kind;
        out.link_text = trim(link.substr(kind.size() + 2));
        return LineClass::parsed;
      }
  }
  // Authentication-Warning, Milter notes, "did not issue MAIL", SYSERR, ...
  return LineClass::ignored;
}

}  // namespace bounce::formats
