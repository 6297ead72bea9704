// The Sendmail correlator; see sendmail_correlator.hpp.

#include "sendmail_correlator.hpp"

#include "classify/give_up.hpp"
#include "text_util.hpp"

namespace bounce::correlate {

using formats::SendmailEvent;
using formats::SendmailEventKind;

namespace {

// `Sent (QID2 Message accepted for delivery)`: the queue id another Sendmail
// gave the message, or "" for any other text.
std::string_view accepted_as(std::string_view stat) {
  constexpr std::string_view kSent = "Sent (", kAccepted = " Message accepted for delivery)";
  if (!stat.starts_with(kSent) || !stat.ends_with(kAccepted)) return {};
  return stat.substr(kSent.size(), stat.size() - kSent.size() - kAccepted.size());
}

// The phase, where the text says it: Sendmail does not log the SMTP command.
std::string_view phase_of(std::string_view text) {
  if (text.starts_with("Connection timed out") || text.starts_with("Connection refused") ||
      text.starts_with("Connection reset"))
    return "connect";
  if (text.starts_with("Name server:") || text.find("host name lookup failure") != text.npos)
    return "DNS";
  return {};
}

// Sendmail logs its own word for a remote 5xx, not the reply (usersmtp.c):
// "User unknown" for 550, 551 and 553 to RCPT TO, "Service unavailable" for
// any other. Only the dsn, taken from the reply's enhanced code, says why: a
// blocklisted sender refused with 550 5.7.1 at RCPT reads "User unknown".
// (A local mailer's "User unknown" is Sendmail's own finding, and says so.)
bool is_remote_5xx_word(const SendmailEvent& e) {
  const bool smtp = e.mailer == "esmtp" || e.mailer == "smtp" || e.mailer == "smtp8" ||
                    e.mailer == "dsmtp" || e.mailer == "relay";
  return smtp && (e.stat == "User unknown" || e.stat == "Service unavailable");
}

// The reply code at the start of a text ("421 4.7.0 ..."), 0 when absent.
int leading_reply_code(std::string_view text) {
  if (text.size() < 4 || !is_digit(text[0]) || !is_digit(text[1]) || !is_digit(text[2]) ||
      (text[3] != ' ' && text[3] != '-'))
    return 0;
  return (text[0] - '0') * 100 + (text[1] - '0') * 10 + (text[2] - '0');
}

}  // namespace

SendmailCorrelator::SendmailCorrelator(const Classifier& classifier, View view,
                                       std::size_t max_open, Sink sink)
    : classifier_(classifier), view_(view), sink_(std::move(sink)), open_(max_open) {}

SendmailCorrelator::Message& SendmailCorrelator::message(std::string_view host,
                                                         std::string_view qid) {
  Message& m = open_.open(host, qid, [this](Message& old) { close(old); });
  if (m.qid.empty()) m.qid = std::string(qid);
  return m;
}

SendmailCorrelator::Recipient& SendmailCorrelator::recipient(Message& m, std::string_view address) {
  for (Recipient& rc : m.recipients)
    if (rc.address == address) return rc;
  Recipient& rc = m.recipients.emplace_back();
  rc.address = std::string(address);
  return rc;
}

void SendmailCorrelator::add(const SendmailEvent& e, const LineContext& ctx) {
  if (ctx.has_time) close_completed(ctx.time_us);
  // A link or a hop may open the message before its own lines: look the
  // message up once, after any other message this line opens.
  switch (e.kind) {
    case SendmailEventKind::from: {
      Message& m = message(ctx.host, e.qid);
      m.has_from = true;
      m.nrcpts = e.nrcpts;
      m.sender = std::string(e.sender);
      m.message_id = std::string(e.msgid);
      m.size = e.size;
      m.client_host = std::string(e.relay_host);
      m.client_ip = std::string(e.relay_ip);
      if (view_ == View::attempts) {  // the refusals logged before this line
        for (const OwnedRecord& r : m.rejects) emit(m, r.get());
        m.rejects.clear();
      }
      close_later(m, ctx.host, ctx);
      return;
    }
    case SendmailEventKind::to: {
      Message& m = message(ctx.host, e.qid);
      on_to(m, e, ctx);
      close_later(m, ctx.host, ctx);
      return;
    }
    case SendmailEventKind::link:
      // The message itself matters only for an expiry: a DSN link after
      // the bounce must not reopen a message closed meanwhile.
      on_link(open_.find(ctx.host, e.qid), e, ctx);
      return;
    case SendmailEventKind::reject:
      on_reject(message(ctx.host, e.qid), e, ctx);
      return;
  }
}

void SendmailCorrelator::on_to(Message& m, const SendmailEvent& e, const LineContext& ctx) {
  const bool remote_word = is_remote_5xx_word(e);
  Record r = record_at(Format::sendmail, ctx);
  r.relay_host = e.relay_host;
  r.relay_ip = e.relay_ip;
  r.enhanced_code = e.dsn;
  r.diagnostic = e.stat;
  r.delay_s = e.delay_s;
  const std::string_view stat = e.stat;
  const std::size_t word_end = std::min(stat.find(':'), stat.find(" ("));
  r.status = trim(stat.substr(0, word_end));
  if (stat.starts_with("Sent")) {
    r.outcome = Outcome::delivered;
    if (const std::size_t open = stat.find('('); open != stat.npos && stat.ends_with(')'))
      r.reply_text = stat.substr(open + 1, stat.size() - open - 2);
  } else {
    const bool deferred =
        stat.starts_with("Deferred") || stat.starts_with("queued") || e.dsn.starts_with('4');
    r.outcome = deferred ? Outcome::deferred : Outcome::bounced;
    r.reply_text = stat;
    if (stat.starts_with("Deferred")) {  // "Deferred: 421 4.7.0 ..." or just "Deferred"
      r.reply_text = trim_left(stat.substr(8));
      if (r.reply_text.starts_with(':')) r.reply_text = trim_left(r.reply_text.substr(1));
    }
    r.phase = remote_word && stat == "User unknown" ? std::string_view("RCPT TO")
                                                    : phase_of(r.reply_text);
  }
  const int code = leading_reply_code(r.reply_text);
  // The queue id, when the next hop is another Sendmail on this host.
  const std::string_view next = accepted_as(stat);
  Message* hop_target = next.empty() ? nullptr : open_.find(ctx.host, next);
  if (hop_target) hop_target->origin = m.origin.empty() ? m.qid : m.origin;
  // Each address of the list is one recipient.
  std::string_view list = e.to;
  while (!list.empty()) {
    std::size_t comma = 0;
    bool quoted = false;
    int angle = 0;
    for (; comma < list.size(); ++comma) {
      const char c = list[comma];
      if (c == '"') quoted = !quoted;
      if (!quoted && c == '<') ++angle;
      if (!quoted && c == '>' && angle > 0) --angle;
      if (!quoted && angle == 0 && c == ',') break;
    }
    const std::string_view entry = list.substr(0, comma);
    list = comma < list.size() ? list.substr(comma + 1) : std::string_view{};
    std::string_view address = formats::sendmail_recipient_address(entry);
    if (address.empty()) {  // a pipe or a file: the controlling address speaks
      address = formats::sendmail_recipient_address(e.ctladdr.substr(0, e.ctladdr.find(" (")));
      if (address.empty()) address = trim(entry);
    }
    Recipient& rc = recipient(m, address);
    if (hop_target) {  // not an outcome: QID2's records tell what happened
      rc.hop = true;
      continue;
    }
    Record a = r;
    a.recipient = address;
    a.recipient_domain = domain_of(address);
    a.attempt = ++rc.attempts;
    const ClassifyContext context{
        .phase = a.phase, .remote_host = a.relay_host, .recipient_domain = a.recipient_domain};
    if (remote_word) {
      // The dsn decides; "User unknown" only when the dsn says nothing (5.0.0,
      // or 5.5.0 as Microsoft sends for an unknown mailbox), "Service
      // unavailable" never (it only says the reply was a 5xx).
      a.classification = classifier_.classify(0, e.dsn, {}, context);
      if (a.classification.reason == Reason::unknown && stat == "User unknown")
        a.classification = classifier_.classify(0, e.dsn, stat, context);
    } else {
      a.classification =
          classifier_.classify(code, e.dsn, a.reply_text.empty() ? stat : a.reply_text, context);
    }
    if (a.outcome == Outcome::delivered && a.classification.reply_code == 0 &&
        a.classification.bounce_type != BounceType::none) {
      // "Sent" is the outcome itself, whatever words the remote used.
      a.classification = classifier_.classify(0, e.dsn.empty() ? "2.0.0" : e.dsn, "delivered");
    }
    record(m, rc, a);
  }
}

void SendmailCorrelator::on_link(Message* m, const SendmailEvent& e, const LineContext& ctx) {
  const bool expiry = e.link_kind == "sender notify" && e.link_text.starts_with("Cannot send");
  if (expiry && !m) m = &message(ctx.host, e.qid);
  if (expiry) {
    for (Recipient& rc : m->recipients) {
      if (rc.decided || rc.hop || rc.attempts == 0) continue;
      Record r = rc.last.get();  // the last attempt says why it never got through
      stamp(r, ctx);
      r.outcome = Outcome::expired;
      r.status = e.link_kind;
      give_up(r.classification);
      record(*m, rc, r);
    }
  }
  Message& notice = message(ctx.host, e.new_qid);
  notice.notification = true;
  notice.has_from = true;  // savemail.c writes no from= line for it
  // Sendmail tries to deliver it at once: closed unless an attempt is logged.
  close_later(notice, ctx.host, ctx);
}

void SendmailCorrelator::on_reject(Message& m, const SendmailEvent& e, const LineContext& ctx) {
  Record r = record_at(Format::sendmail, ctx);
  r.recipient = e.recipient;
  r.recipient_domain = domain_of(e.recipient);
  r.outcome = Outcome::rejected;
  r.status = "reject";
  r.reply_text = e.reject_text;
  r.diagnostic = e.reject_text;
  r.phase = "RCPT TO";
  r.attempt = 1;
  r.classification = classifier_.classify(
      0, {}, e.reject_text,
      ClassifyContext{.phase = r.phase, .recipient_domain = r.recipient_domain});
  // usrerr() logs a permanent refusal without its code ("<a>... User unknown");
  // temporary ones say so ("Deferred", "Temporary failure").
  Classification& c = r.classification;
  if (c.bounce_type == BounceType::unknown && c.reason != Reason::unknown &&
      find_icase(e.reject_text, "deferred") == std::string_view::npos &&
      find_icase(e.reject_text, "temporar") == std::string_view::npos) {
    c.bounce_type = BounceType::hard;
    c.suppress_recipient = is_address_problem(c.reason);
    c.action = default_action(c.reason);
  }
  if (!e.relay_ip.empty() || !e.relay_host.empty()) {  // check_rcpt names the client
    m.client_host = std::string(e.relay_host);
    m.client_ip = std::string(e.relay_ip);
  }
  if (view_ == View::attempts && m.has_from) {
    emit(m, r);
    return;
  }
  m.rejects.emplace_back(r);
}

void SendmailCorrelator::record(Message& m, Recipient& rc, const Record& r) {
  rc.decided = r.outcome != Outcome::deferred;
  if (view_ == View::attempts) emit(m, r);
  // Last: `r` may view the storage of the record it replaces (an expiry).
  rc.last.assign(r);  // an expiry reuses it in both views
}

void SendmailCorrelator::emit(const Message& m, const Record& r) {
  Record out = r;  // the envelope as known now (a from= may follow a refusal)
  out.message_key = m.qid;
  out.origin_key = m.origin;
  out.message_id = m.message_id;
  out.sender = m.sender;
  out.size = m.size;
  out.client_host = m.client_host;
  out.client_ip = m.client_ip;
  out.notification = m.notification;
  sink_(out);
}

void SendmailCorrelator::close(Message& m) {
  for (const OwnedRecord& r : m.rejects) emit(m, r.get());
  if (view_ == View::attempts) return;
  for (const Recipient& rc : m.recipients)
    if (!rc.hop && rc.attempts > 0) emit(m, rc.last.get());
}

bool SendmailCorrelator::complete(const Message& m) const {
  int done = 0;
  for (const Recipient& rc : m.recipients) {
    if (!rc.decided && !rc.hop) return false;
    ++done;
  }
  return done >= m.nrcpts;
}

void SendmailCorrelator::close_later(Message& m, std::string_view host, const LineContext& ctx) {
  if (m.closing || !ctx.has_time || !complete(m)) return;
  m.closing = true;
  completed_.push_back({ctx.time_us, std::string(host), m.qid});
}

void SendmailCorrelator::close_completed(std::int64_t now_us) {
  while (!completed_.empty() && completed_.front().time_us + kCloseAfter < now_us) {
    const Completed c = std::move(completed_.front());
    completed_.pop_front();
    Message* m = open_.find(c.host, c.qid);
    if (!m || !m->closing) continue;  // evicted meanwhile
    m->closing = false;
    if (complete(*m))  // else a new attempt came: queued again when complete
      open_.close(c.host, c.qid, [this](Message& done) { close(done); });
  }
}

void SendmailCorrelator::finish() {
  completed_.clear();
  open_.close_all([this](Message& m) { close(m); });
}

}  // namespace bounce::correlate
