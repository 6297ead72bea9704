// Provider event readers (SES, SendGrid, Mailgun, Postmark, SparkPost); see
// provider_events.hpp. The mapping of each provider's labels follows
// corpus/samples/providers.md section 0: the reply text decides the reason
// when it can; the provider's label is the fallback (and decides outright for
// complaints, suppression-list drops, auto-replies and our own rejections).

#include "provider_events.hpp"

#include "io/line_splitter.hpp"
#include "json_array_splitter.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>

#include "line_class.hpp"
#include "record_views.hpp"
#include "syslog_header.hpp"
#include "text_util.hpp"

namespace bounce::formats {
namespace {

using simdjson::dom::element;

// ---- JSON access that never throws: a missing or mistyped key is "absent".
// The fields are scanned here rather than by simdjson's at_key, which calls
// memcmp for each key of the same length as the one looked for.
std::optional<element> child(element e, std::string_view key) {
  simdjson::dom::object o;
  if (e.get(o)) return std::nullopt;
  const auto end = o.end();
  for (auto field = o.begin(); field != end; ++field)
    if (field.key_length() == key.size() &&
        same_text(std::string_view(field.key_c_str(), key.size()), key))
      return field.value();
  return std::nullopt;
}
std::string_view str(element e, std::string_view key) {
  const auto c = child(e, key);
  std::string_view v;
  if (!c || c->get(v)) return {};
  return v;
}
// A count or code given as a number or as a numeric string ("3", "550",
// 550.0). Anything else, including a negative value or one of a billion or
// more, which no reply code, attempt or type code can be, is absent: the
// callers store it in an int and may add one to it.
std::optional<int> small_integer(element e, std::string_view key) {
  constexpr std::int64_t kLimit = 1'000'000'000;
  const auto c = child(e, key);
  if (!c) return std::nullopt;
  std::int64_t i;
  double d;
  std::string_view s;
  if (!c->get(i)) {
    if (i >= 0 && i < kLimit) return static_cast<int>(i);
  } else if (!c->get(d)) {
    if (d >= 0 && d < kLimit) return static_cast<int>(d);  // false for NaN
  } else if (!c->get(s)) {
    int n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc() && end == s.data() + s.size() && n >= 0 && n < kLimit) return n;
  }
  return std::nullopt;
}
bool has(element e, std::string_view key) { return child(e, key).has_value(); }

std::string_view strip_angle(std::string_view v) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return v;
}

// The reply text: a leading "smtp;" removed, line breaks (and the spaces
// around them) folded into one space, trimmed. A view of `raw` unless a line
// break had to be folded; then a view of `buffer`.
std::string_view clean_text(std::string_view raw, std::string& buffer) {
  std::string_view v = trim(raw);
  if (starts_with_icase(v, "smtp;")) v = trim_left(v.substr(5));
  // (Two scans for one byte each: find_first_of runs a memchr per character.)
  if (v.find('\n') == std::string_view::npos && v.find('\r') == std::string_view::npos) return v;
  buffer.clear();
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\n' || v[i] == '\r') {
      while (!buffer.empty() && buffer.back() == ' ') buffer.pop_back();
      while (i + 1 < v.size() && (v[i + 1] == '\n' || v[i + 1] == '\r' || v[i + 1] == ' ')) ++i;
      buffer.push_back(' ');
    } else {
      buffer.push_back(v[i]);
    }
  }
  return trim(buffer);
}

int leading_reply_code(std::string_view s) {
  if (s.size() < 3 || s[0] < '2' || s[0] > '5' || !is_digit(s[1]) || !is_digit(s[2])) return 0;
  if (s.size() > 3 && s[3] != ' ' && s[3] != '-') return 0;
  return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

// What one event says about one recipient. The views point into the parsed
// document, or into the reader's buffers for the values it had to build, and
// stay valid until the event's record is emitted.
struct Event {
  Format provider = Format::ses;
  Outcome outcome = Outcome::unknown;
  std::string_view verdict, recipient, key, message_id, diagnostic, mx_host, enhanced, sending_ip;
  int reply_code = 0;
  std::int64_t time_us = 0;
  bool has_time = false;
  int attempt = 0;
  std::optional<Reason> fallback_reason;  ///< when the text identifies nothing
  std::optional<BounceType> fallback_type;
  std::optional<Reason> forced_reason;  ///< the label decides outright
  std::string_view detail;              ///< with forced_reason / fallback
};

// Unix seconds; a time outside the years 0000-9999 (or NaN), which no event
// has and no int64 of microseconds may hold, leaves the event without one.
void set_time_unix(Event& ev, double seconds) {
  constexpr double kYear0 = -62167219200.0, kYear10000 = 253402300800.0;
  if (!(seconds >= kYear0 && seconds < kYear10000)) return;
  ev.time_us = static_cast<std::int64_t>(seconds * 1e6 + (seconds >= 0 ? 0.5 : -0.5));
  ev.has_time = true;
}

// The time of `text`, or else of `fallback` (each read only when needed).
void set_time_iso(Event& ev, std::string_view text, std::string_view fallback = {}) {
  LogTime t;
  if (parse_iso8601(text, t) == 0 && parse_iso8601(fallback, t = LogTime{}) == 0) return;
  ev.time_us = to_utc_micros(t, t.year, 0);
  ev.has_time = true;
}

// A time given as unix seconds (number or numeric string) or ISO 8601.
void set_time_any(Event& ev, element e, std::string_view key) {
  const auto c = child(e, key);
  if (!c) return;
  double d;
  if (!c->get(d)) return set_time_unix(ev, d);
  std::string_view s;
  if (c->get(s)) return;
  if (!s.empty() &&
      std::all_of(s.begin(), s.end(), [](char ch) { return is_digit(ch) || ch == '.'; }))
    return set_time_unix(ev, std::strtod(std::string(s).c_str(), nullptr));
  set_time_iso(ev, s);
}

// Applies a reason with the taxonomy's rules for type, suppression and action.
void apply_reason(Classification& c, Reason reason, std::optional<BounceType> type,
                  std::string_view detail) {
  c.reason = reason;
  c.detail = detail;
  if (type) c.bounce_type = *type;
  c.suppress_recipient = is_address_problem(reason) && c.bounce_type == BounceType::hard;
  c.action = default_action(reason);
  if (c.action == Action::suppress_recipient && !c.suppress_recipient && is_address_problem(reason))
    c.action = Action::retry;
}

class EventReader {
 public:
  EventReader(std::string_view file, const Classifier& classifier, ParseStats& stats,
              const std::function<void(const Record&)>& emit,
              const std::function<void(const Diagnostic&)>& on_bad)
      : file_(file), classifier_(classifier), stats_(stats), emit_(emit), on_bad_(on_bad) {}

  // One JSON document: a line of NDJSON (its events carry the line number), or
  // a whole file (its events carry their 1-based position in the list).
  void document(element doc, std::uint64_t line, std::string_view raw, bool whole_file) {
    const auto each = [&](simdjson::dom::array list) {
      std::uint64_t index = 0;
      for (element e : list) event_document(e, whole_file ? ++index : line, raw);
    };
    if (doc.is_array()) return each(doc.get_array());
    // API response pages.
    for (const char* list : {"items", "Bounces", "results"})
      if (const auto c = child(doc, list); c && c->is_array()) return each(c->get_array());
    event_document(doc, line, raw);
  }

  /// One event document: `line` is its NDJSON line, or its index (from 1)
  /// in the list of a file that is one document.
  void event_document(element e, std::uint64_t line, std::string_view raw) {
    line_ = line;
    raw_ = raw;
    unit(e);
  }

  void bad(std::uint64_t line, std::string_view raw, std::string_view problem) {
    count(LineClass::unparsed, "json");
    if (on_bad_) on_bad_(Diagnostic{file_, line, raw, problem});
  }

 private:
  void count(LineClass cls, std::string_view program) {
    ++stats_.lines;
    // Files hold one provider's events as a rule: the last program's counts
    // are kept at hand (a map node does not move) instead of a lookup each.
    if (!counts_ || program != counted_program_) {
      counts_ = &stats_.by_program[std::string(program)];
      counted_program_ = program;
    }
    ParseStats::Counts& c = *counts_;
    switch (cls) {
      case LineClass::parsed:
        ++stats_.parsed, ++c.parsed;
        break;
      case LineClass::ignored:
        ++stats_.ignored, ++c.ignored;
        break;
      case LineClass::unparsed:
        ++stats_.unparsed, ++c.unparsed;
        break;
    }
  }

  // One event: recognise the provider by its shape.
  void unit(element e) {
    emitted_ = 0;
    Format provider = Format::ses;
    const bool known = dispatch(e, provider);
    if (!known) {
      bad(line_, raw_, "an event of SES, SendGrid, Mailgun, Postmark or SparkPost");
      return;
    }
    count(emitted_ ? LineClass::parsed : LineClass::ignored, to_string(provider));
  }

  bool dispatch(element e, Format& provider) {
    if (!e.is_object()) return false;
    if (has(e, "Type") && has(e, "Message") && has(e, "TopicArn")) {
      provider = Format::ses;
      sns(e);
      return true;
    }
    if (has(e, "eventType") || has(e, "notificationType")) {
      provider = Format::ses;
      ses(e);
      return true;
    }
    if (const auto m = child(e, "msys"); m && m->is_object()) {
      provider = Format::sparkpost;
      for (auto [k, inner] : m->get_object()) sparkpost(inner);  // message_event, track_event, ...
      return true;
    }
    if (const auto ed = child(e, "event-data"); ed && ed->is_object()) {
      provider = Format::mailgun;
      mailgun(*ed);
      return true;
    }
    if (has(e, "RecordType") || has(e, "TypeCode")) {
      provider = Format::postmark;
      postmark(e);
      return true;
    }
    if (has(e, "event") && has(e, "email")) {
      provider = Format::sendgrid;
      sendgrid(e);
      return true;
    }
    if (has(e, "event") &&
        (has(e, "log-level") || has(e, "delivery-status") || has(e, "recipient"))) {
      provider = Format::mailgun;
      mailgun(e);
      return true;
    }
    if (has(e, "type") && (has(e, "rcpt_to") || has(e, "raw_rcpt_to"))) {
      provider = Format::sparkpost;
      sparkpost(e);
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- SES
  void sns(element envelope) {
    if (str(envelope, "Type") != "Notification") return;  // subscription control messages
    const std::string_view message = trim(str(envelope, "Message"));
    if (message.empty() || message.front() != '{') return;  // "Successfully validated SNS topic"
    element inner;
    if (inner_parser_.parse(message.data(), message.size()).get(inner)) return;
    ses(inner);
  }

  void ses(element msg) {
    std::string_view type = str(msg, "eventType");
    if (type.empty()) type = str(msg, "notificationType");
    const auto mail = child(msg, "mail");
    Event base;
    base.provider = Format::ses;
    // The event's own time when it has one, else the time the mail was sent.
    std::string_view mail_time;
    if (mail) {
      base.key = str(*mail, "messageId");
      if (const auto ch = child(*mail, "commonHeaders"))
        base.message_id = strip_angle(str(*ch, "messageId"));
      mail_time = str(*mail, "timestamp");
    }
    const auto per_recipient = [&](element list_owner, const char* list, auto&& fill) {
      if (const auto l = child(list_owner, list); l && l->is_array())
        for (element r : l->get_array()) {
          Event ev = base;
          std::string_view addr;
          if (!r.get(addr))
            ev.recipient = addr;  // a plain address
          else
            ev.recipient = str(r, "emailAddress");
          fill(ev, r);
          finish(ev);
        }
    };
    if (type == "Bounce") {
      const auto b = child(msg, "bounce");
      if (!b) return;
      const std::string_view bt = str(*b, "bounceType"), sub = str(*b, "bounceSubType");
      set_time_iso(base, str(*b, "timestamp"), mail_time);
      base.verdict = compose({bt, "/", sub});
      base.outcome = Outcome::bounced;
      base.fallback_type = bt == "Permanent"   ? BounceType::hard
                           : bt == "Transient" ? BounceType::soft
                                               : BounceType::unknown;
      if (sub == "Suppressed" || sub == "OnAccountSuppressionList") {
        base.outcome = Outcome::dropped;
        base.forced_reason = Reason::suppressed;
      } else if (sub == "NoEmail") {
        base.fallback_reason = Reason::user_unknown;
      } else if (sub == "MailboxFull") {
        base.fallback_reason = Reason::mailbox_full;
      } else if (sub == "MessageTooLarge") {
        base.fallback_reason = Reason::message_too_big;
      } else if (sub == "ContentRejected") {
        base.fallback_reason = Reason::spam_content;
      } else if (sub == "AttachmentRejected") {
        base.fallback_reason = Reason::policy_violation;
      }
      base.mx_host = str(*b, "remoteMtaIp");
      per_recipient(*b, "bouncedRecipients", [](Event& ev, element r) {
        ev.enhanced = str(r, "status");
        ev.diagnostic = str(r, "diagnosticCode");
      });
    } else if (type == "Complaint") {
      const auto c = child(msg, "complaint");
      if (!c) return;
      set_time_iso(base, str(*c, "timestamp"), mail_time);
      const std::string_view fb = str(*c, "complaintFeedbackType");
      base.verdict = fb.empty() ? "Complaint" : compose({"Complaint/", fb});
      base.outcome = Outcome::complaint;
      base.forced_reason = Reason::complaint;
      per_recipient(*c, "complainedRecipients", [](Event&, element) {});
    } else if (type == "Delivery") {
      const auto d = child(msg, "delivery");
      if (!d) return;
      set_time_iso(base, str(*d, "timestamp"), mail_time);
      base.verdict = "Delivery";
      base.outcome = Outcome::delivered;
      base.diagnostic = str(*d, "smtpResponse");
      per_recipient(*d, "recipients", [](Event&, element) {});
    } else if (type == "DeliveryDelay") {
      const auto d = child(msg, "deliveryDelay");
      if (!d) return;
      set_time_iso(base, str(*d, "timestamp"), mail_time);
      const std::string_view dt = str(*d, "delayType");
      base.verdict = compose({"DeliveryDelay/", dt});
      base.outcome = Outcome::deferred;
      base.fallback_type = BounceType::soft;
      if (dt == "MailboxFull") base.fallback_reason = Reason::mailbox_full;
      if (dt == "SpamDetected") base.fallback_reason = Reason::spam_content;
      if (dt == "InternalFailure") base.fallback_reason = Reason::remote_system_error;
      if (dt == "TransientCommunicationFailure") base.fallback_reason = Reason::connection_failed;
      per_recipient(*d, "delayedRecipients", [](Event& ev, element r) {
        ev.enhanced = str(r, "status");
        ev.diagnostic = str(r, "diagnosticCode");
      });
    } else if (type == "Reject" || type == "Rendering Failure") {
      base.outcome = Outcome::rejected;
      base.verdict = type;
      base.fallback_type = BounceType::hard;
      if (type == "Reject") {
        if (const auto r = child(msg, "reject")) base.diagnostic = str(*r, "reason");
        // SES "Bad content": the message contained a virus.
        base.fallback_reason =
            base.diagnostic == "Bad content" ? Reason::virus_detected : Reason::policy_violation;
      } else {
        if (const auto f = child(msg, "failure")) base.diagnostic = str(*f, "errorMessage");
        base.forced_reason = Reason::local_configuration;
      }
      // No recipient is named: one record per destination.
      set_time_iso(base, mail_time);
      if (mail) per_recipient(*mail, "destination", [](Event&, element) {});
    }
    // Send, Open, Click, Subscription: not delivery outcomes.
  }

  // ---------------------------------------------------------------- SendGrid
  void sendgrid(element e) {
    const std::string_view event = str(e, "event");
    Event ev;
    ev.provider = Format::sendgrid;
    ev.recipient = str(e, "email");
    set_time_any(ev, e, "timestamp");
    const std::string_view sg = str(e, "sg_message_id");
    ev.key = sg.substr(0, sg.find('.'));
    ev.message_id = strip_angle(str(e, "smtp-id"));
    if (const auto a = small_integer(e, "attempt")) ev.attempt = *a;
    ev.sending_ip = str(e, "ip");
    ev.verdict = event;
    if (event == "delivered") {
      ev.outcome = Outcome::delivered;
      ev.diagnostic = str(e, "response");
    } else if (event == "deferred") {
      ev.outcome = Outcome::deferred;
      ev.diagnostic = str(e, "response");
      ev.fallback_type = BounceType::soft;
    } else if (event == "bounce") {
      const std::string_view t = str(e, "type");
      ev.verdict = compose({"bounce/", t.empty() ? "bounce" : t});
      ev.outcome = Outcome::bounced;
      ev.enhanced = str(e, "status");
      ev.diagnostic = str(e, "reason");
      ev.fallback_type = BounceType::hard;
      if (t == "blocked") ev.fallback_reason = Reason::policy_violation;
    } else if (event == "dropped") {
      const std::string_view reason = str(e, "reason");
      ev.verdict = compose({"dropped/", reason});
      ev.outcome = Outcome::dropped;
      ev.diagnostic = reason;
      ev.enhanced = str(e, "status");
      ev.fallback_type = BounceType::hard;
      if (reason == "Invalid")
        ev.forced_reason = Reason::invalid_address;
      else if (reason.find("Spam Content") != std::string_view::npos)
        ev.forced_reason = Reason::spam_content;
      else
        ev.forced_reason = Reason::suppressed;  // bounced/unsubscribed/spam-reporting addresses
    } else if (event == "spamreport") {
      ev.outcome = Outcome::complaint;
      ev.forced_reason = Reason::complaint;
    } else {
      return;  // processed, open, click, unsubscribe, group_*: not delivery outcomes
    }
    finish(ev);
  }

  // ---------------------------------------------------------------- Mailgun
  void mailgun(element ed) {
    const std::string_view event = str(ed, "event");
    Event ev;
    ev.provider = Format::mailgun;
    ev.recipient = str(ed, "recipient");
    set_time_any(ev, ed, "timestamp");
    if (const auto m = child(ed, "message")) {
      if (const auto h = child(*m, "headers")) {
        ev.message_id = strip_angle(str(*h, "message-id"));
        if (ev.recipient.empty()) {  // "Name <addr@example.org>" or a bare address
          std::string_view to = trim(str(*h, "to"));
          const std::size_t lt = to.rfind('<'), gt = to.rfind('>');
          if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
            to = to.substr(lt + 1, gt - lt - 1);
          ev.recipient = to;
        }
      }
    }
    ev.key = ev.message_id;
    if (const auto env = child(ed, "envelope")) ev.sending_ip = str(*env, "sending-ip");
    if (const auto ds = child(ed, "delivery-status")) {
      if (const auto code = small_integer(*ds, "code")) ev.reply_code = *code;
      ev.enhanced = str(*ds, "enhanced-code");
      ev.diagnostic = str(*ds, "message");
      if (trim(ev.diagnostic).empty()) ev.diagnostic = str(*ds, "description");
      ev.mx_host = str(*ds, "mx-host");
      if (const auto a = small_integer(*ds, "attempt-no")) ev.attempt = *a;
    }
    ev.verdict = event;
    if (event == "delivered") {
      ev.outcome = Outcome::delivered;
    } else if (event == "failed") {
      const std::string_view severity = str(ed, "severity"), reason = str(ed, "reason");
      ev.verdict = compose({severity, "/", reason});
      const bool permanent = severity == "permanent";
      ev.outcome = permanent ? Outcome::bounced : Outcome::deferred;
      ev.fallback_type = permanent ? BounceType::hard : BounceType::soft;
      if (reason.starts_with("suppress-")) {
        ev.outcome = Outcome::dropped;
        ev.forced_reason = reason == "suppress-complaint" ? Reason::suppressed : Reason::suppressed;
      } else if (reason == "old") {
        ev.outcome = Outcome::expired;
        ev.forced_reason = Reason::expired;
      } else if (reason == "greylisted") {
        ev.fallback_reason = Reason::greylisted;
      } else if (reason == "espblock") {
        ev.fallback_reason = Reason::policy_violation;
      }
    } else if (event == "complained") {
      ev.outcome = Outcome::complaint;
      ev.forced_reason = Reason::complaint;
    } else if (event == "rejected") {
      ev.outcome = Outcome::rejected;
      if (const auto r = child(ed, "reject")) ev.diagnostic = str(*r, "reason");
      ev.fallback_reason = Reason::local_configuration;
      ev.fallback_type = BounceType::hard;
    } else {
      return;  // accepted, opened, clicked, unsubscribed, stored, ...
    }
    finish(ev);
  }

  // ---------------------------------------------------------------- Postmark
  void postmark(element e) {
    std::string_view record_type = str(e, "RecordType");
    if (record_type.empty()) record_type = "Bounce";  // Bounce API items
    Event ev;
    ev.provider = Format::postmark;
    ev.key = str(e, "MessageID");
    ev.diagnostic = str(e, "Details");
    if (record_type == "Delivery") {
      ev.recipient = str(e, "Recipient");
      set_time_iso(ev, str(e, "DeliveredAt"));
      ev.verdict = "Delivery";
      ev.outcome = Outcome::delivered;
      return finish(ev);
    }
    ev.recipient = str(e, "Email");
    set_time_iso(ev, str(e, "BouncedAt"));
    if (record_type == "SpamComplaint") {
      const auto code = small_integer(e, "TypeCode");
      ev.verdict = code ? compose_number("TypeCode ", *code) : "SpamComplaint";
      ev.outcome = Outcome::complaint;
      ev.forced_reason = Reason::complaint;
      return finish(ev);
    }
    if (record_type != "Bounce") return;  // Open, Click, SubscriptionChange
    const std::string_view type = str(e, "Type");
    const auto code = small_integer(e, "TypeCode").value_or(0);
    ev.verdict = compose_number("TypeCode ", code);
    // The Type name decides when it disagrees with the code (Postmark's own
    // documentation pairs Type SpamComplaint with TypeCode 512).
    struct Mapping {
      std::string_view type;
      Outcome outcome;
      std::optional<BounceType> bounce_type;
      std::optional<Reason> fallback, forced;
    };
    static const Mapping kTypes[] = {
        {"HardBounce", Outcome::bounced, BounceType::hard, Reason::user_unknown, {}},
        {"Transient", Outcome::deferred, BounceType::soft, {}, {}},
        {"Unsubscribe", Outcome::unknown, BounceType::none, {}, Reason::unknown},
        {"Subscribe", Outcome::unknown, BounceType::none, {}, Reason::unknown},
        {"AutoResponder", Outcome::delivered, BounceType::none, {}, Reason::auto_reply},
        {"AddressChange", Outcome::unknown, BounceType::unknown, {}, Reason::address_moved},
        {"DnsError", Outcome::deferred, BounceType::soft, Reason::dns_failure, {}},
        {"SpamNotification", Outcome::bounced, BounceType::hard, Reason::spam_content, {}},
        {"OpenRelayTest", Outcome::unknown, BounceType::none, {}, Reason::unknown},
        {"Unknown", Outcome::bounced, BounceType::unknown, {}, {}},
        {"SoftBounce", Outcome::bounced, BounceType::soft, {}, {}},
        {"VirusNotification", Outcome::bounced, BounceType::hard, Reason::virus_detected, {}},
        {"ChallengeVerification", Outcome::unknown, BounceType::none, {}, Reason::unknown},
        {"BadEmailAddress", Outcome::dropped, BounceType::hard, {}, Reason::invalid_address},
        {"SpamComplaint", Outcome::complaint, BounceType::none, {}, Reason::complaint},
        {"ManuallyDeactivated", Outcome::dropped, BounceType::hard, {}, Reason::suppressed},
        {"Unconfirmed", Outcome::dropped, BounceType::hard, {}, Reason::suppressed},
        {"Blocked", Outcome::bounced, BounceType::hard, Reason::policy_violation, {}},
        {"SMTPApiError", Outcome::rejected, BounceType::hard, Reason::local_configuration, {}},
        {"DMARCPolicy", Outcome::bounced, BounceType::hard, Reason::auth_failure, {}},
        {"TemplateRenderingFailed",
         Outcome::rejected,
         BounceType::hard,
         {},
         Reason::local_configuration},
    };
    if (type == "InboundError") return;  // about mail we received: not ours to report
    for (const Mapping& m : kTypes) {
      if (m.type != type) continue;
      ev.outcome = m.outcome;
      ev.fallback_type = m.bounce_type;
      ev.fallback_reason = m.fallback;
      ev.forced_reason = m.forced;
      if (type == "DMARCPolicy") ev.detail = "dmarc";
      return finish(ev);
    }
    ev.outcome = Outcome::bounced;  // a type this version does not know: keep it, unknown
    finish(ev);
  }

  // ---------------------------------------------------------------- SparkPost
  void sparkpost(element e) {
    const std::string_view type = str(e, "type");
    Event ev;
    ev.provider = Format::sparkpost;
    ev.recipient = str(e, "rcpt_to");
    if (ev.recipient.empty()) ev.recipient = str(e, "raw_rcpt_to");
    set_time_any(ev, e, "timestamp");
    ev.key = str(e, "message_id");
    ev.diagnostic = str(e, "raw_reason");
    if (const auto code = small_integer(e, "error_code")) ev.reply_code = *code;
    if (const auto n = small_integer(e, "num_retries")) ev.attempt = *n + 1;
    ev.sending_ip = str(e, "sending_ip");
    const auto klass = small_integer(e, "bounce_class");
    ev.verdict = klass ? compose_number("bounce_class ", *klass) : type;
    if (type == "delivery") {
      ev.outcome = Outcome::delivered;
      ev.verdict = "delivery";
    } else if (type == "bounce" || type == "out_of_band" || type == "delay" ||
               type == "policy_rejection") {
      ev.outcome = type == "delay"              ? Outcome::deferred
                   : type == "policy_rejection" ? Outcome::dropped
                                                : Outcome::bounced;
      sparkpost_class(ev, klass.value_or(1));
      if (type == "delay") ev.fallback_type = BounceType::soft;
    } else if (type == "spam_complaint") {
      const std::string_view fb = str(e, "fbtype");
      ev.verdict = fb.empty() ? "spam_complaint" : compose({"spam_complaint/", fb});
      ev.outcome = Outcome::complaint;
      ev.forced_reason = Reason::complaint;
    } else if (type == "generation_failure" || type == "generation_rejection") {
      ev.verdict = type;
      ev.outcome = Outcome::rejected;
      ev.forced_reason = Reason::local_configuration;
      ev.fallback_type = BounceType::hard;
    } else {
      return;  // injection, open, click, amp_*, unsubscribes, relay events
    }
    finish(ev);
  }

  // SparkPost's bounce classes as fallbacks (the SMTP text wins when it says more).
  static void sparkpost_class(Event& ev, std::int64_t klass) {
    struct C {
      std::int64_t klass;
      std::optional<Reason> reason;
      BounceType type;
    };
    static const C kClasses[] = {
        {1, {}, BounceType::unknown},
        {10, Reason::user_unknown, BounceType::hard},
        {20, {}, BounceType::soft},
        {21, Reason::dns_failure, BounceType::soft},
        {22, Reason::mailbox_full, BounceType::soft},
        {23, Reason::message_too_big, BounceType::soft},
        {24, Reason::expired, BounceType::hard},
        {25, Reason::policy_violation, BounceType::hard},
        {30, {}, BounceType::hard},
        {40, {}, BounceType::soft},
        {50, Reason::policy_violation, BounceType::hard},
        {51, Reason::blocklisted, BounceType::hard},
        {52, Reason::spam_content, BounceType::hard},
        {53, Reason::virus_detected, BounceType::hard},
        {54, Reason::relay_denied, BounceType::hard},
        {60, Reason::auto_reply, BounceType::none},
        {70, Reason::remote_system_error, BounceType::soft},
        {80, Reason::unknown, BounceType::none},
        {90, Reason::unknown, BounceType::none},
        {100, Reason::unknown, BounceType::none},
    };
    for (const C& c : kClasses) {
      if (c.klass != klass) continue;
      ev.fallback_reason = c.reason;
      ev.fallback_type = c.type;
      if (klass == 24) {  // "[internal] exceeded max time": the provider gave up
        ev.outcome = Outcome::expired;
        ev.forced_reason = Reason::expired;
      } else if (klass == 60) {
        ev.outcome = Outcome::delivered;
        ev.forced_reason = Reason::auto_reply;
      } else if (klass >= 80) {
        ev.outcome = Outcome::unknown;
        ev.forced_reason = Reason::unknown;
      }
      if (ev.outcome == Outcome::dropped && !ev.forced_reason)
        ev.forced_reason = Reason::suppressed;
      return;
    }
  }

  // ---------------------------------------------------------------- records
  void finish(Event& ev) {
    const std::string_view text = clean_text(ev.diagnostic, text_buffer_);
    if (ev.reply_code == 0) ev.reply_code = leading_reply_code(text);
    Record r;
    r.format = ev.provider;
    r.time_us = ev.time_us;
    r.has_time = ev.has_time;
    r.file = file_;
    r.line = line_;
    r.message_key = ev.key;
    r.message_id = ev.message_id;
    r.recipient = ev.recipient;
    const std::string_view domain = lower_into(domain_of(ev.recipient), domain_buffer_);
    r.recipient_domain = domain;
    r.relay_host = ev.mx_host;
    r.sending_ip = ev.sending_ip;
    r.outcome = ev.outcome;
    r.status = ev.verdict;
    r.reply_code = ev.reply_code;
    r.enhanced_code = ev.enhanced;
    r.reply_text = text;
    r.diagnostic = ev.diagnostic;
    r.attempt = ev.attempt ? ev.attempt : 1;
    // Provider-internal codes (Mailgun 498/605/607) are kept in the record but
    // never read as SMTP classes.
    const int smtp_code = reply_class(ev.reply_code) ? ev.reply_code : 0;
    Classification c = classifier_.classify(
        smtp_code, ev.enhanced, text,
        ClassifyContext{.remote_host = ev.mx_host, .recipient_domain = domain});
    if (ev.forced_reason) {
      apply_reason(c, *ev.forced_reason,
                   ev.forced_reason == Reason::complaint || ev.forced_reason == Reason::auto_reply
                       ? std::optional(BounceType::none)
                       : (c.bounce_type == BounceType::unknown || c.bounce_type == BounceType::none
                              ? ev.fallback_type
                              : std::nullopt),
                   ev.detail);
      c.rule = {"provider.label", "the provider's own event label"};
    } else if (c.reason == Reason::unknown ||
               (ev.outcome != Outcome::delivered && c.reason == Reason::delivered)) {
      if (ev.fallback_reason || ev.fallback_type) {
        apply_reason(c, ev.fallback_reason.value_or(Reason::unknown),
                     c.bounce_type == BounceType::unknown || c.bounce_type == BounceType::none
                         ? ev.fallback_type
                         : std::nullopt,
                     ev.detail);
        c.rule = {"provider.label", "the provider's own event label"};
      }
    } else if (c.bounce_type == BounceType::unknown && ev.fallback_type) {
      apply_reason(c, c.reason, ev.fallback_type, c.detail);
    }
    if (ev.outcome == Outcome::delivered && !ev.forced_reason && c.reason == Reason::unknown)
      apply_reason(c, Reason::delivered, BounceType::none, {});
    if (ev.outcome == Outcome::complaint) c.stage = Stage::after_acceptance;
    c.reply_code = ev.reply_code;  // as the provider gave it, internal codes included
    r.classification = c;
    ++emitted_;
    emit_(r);
  }

  // The verdict of the event at hand, when it is made of several parts
  // ("Permanent/General"); every event composes at most one.
  std::string_view compose(std::initializer_list<std::string_view> parts) {
    verdict_buffer_.clear();
    for (std::string_view p : parts) verdict_buffer_.append(p);
    return verdict_buffer_;
  }
  std::string_view compose_number(std::string_view label, std::int64_t n) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    return compose({label, std::string_view(digits, static_cast<std::size_t>(end - digits))});
  }

  std::string_view file_;
  const Classifier& classifier_;
  ParseStats& stats_;
  const std::function<void(const Record&)>& emit_;
  const std::function<void(const Diagnostic&)>& on_bad_;
  simdjson::dom::parser inner_parser_;  // SNS Message strings
  std::uint64_t line_ = 0;
  std::string_view raw_;
  int emitted_ = 0;
  std::string verdict_buffer_, text_buffer_, domain_buffer_;  // see compose, finish
  ParseStats::Counts* counts_ = nullptr;                      // see count
  std::string_view counted_program_;
};

}  // namespace

bool looks_like_json(std::string_view text) noexcept {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  text = trim_left(text);
  return !text.empty() && (text.front() == '{' || text.front() == '[');
}

namespace {

// NDJSON: one document per line (`line_no` counts every line, blank ones too);
// a line that is not JSON is counted and reading goes on.
void read_ndjson(std::string_view text, std::uint64_t& line_no, simdjson::dom::parser& parser,
                 EventReader& reader) {
  const char* const text_end = text.data() + text.size();
  io::LineSplitter lines(text);
  for (std::string_view whole; lines.next(whole);) {
    const std::string_view line = trim(whole);
    ++line_no;
    if (line.empty()) continue;  // blank lines are not documents
    // simdjson reads up to SIMDJSON_PADDING bytes past a document, whatever
    // they hold: a line with that much of the text after it is parsed where
    // it lies, and only the text's last lines are copied to a padded buffer.
    const bool padded = text_end - (line.data() + line.size()) >=
                        static_cast<std::ptrdiff_t>(simdjson::SIMDJSON_PADDING);
    element doc;
    if (parser.parse(line.data(), line.size(), !padded).get(doc)) {
      reader.bad(line_no, line, "a JSON document on this line");
      continue;
    }
    reader.document(doc, line_no, line, false);
  }
}

}  // namespace

// The stream's state: the event reader, a parser reused for every document,
// and, once the first line has been seen, the input's shape: NDJSON (read
// line by line as chunks come), one array (read element by element), or
// another single document (kept until the end).
struct ProviderEventStream::Impl {
  EventReader reader;
  simdjson::dom::parser parser;
  // An array is split into its elements as it comes (bounded memory); any
  // other one-document input (an API page wrapping its list) is kept whole.
  enum class Mode { undecided, ndjson, array, document } mode = Mode::undecided;
  std::string document;  // the text of a one-document input
  JsonArraySplitter array;
  std::uint64_t elements = 0;
  std::string first_line;
  std::uint64_t line_no = 0;
  ParseStats& stats;

  Impl(std::string_view file, const Classifier& classifier, ParseStats& s,
       const std::function<void(const Record&)>& emit,
       const std::function<void(const Diagnostic&)>& on_bad)
      : reader(file, classifier, s, emit, on_bad), stats(s) {}

  void lines(std::string_view text) { read_ndjson(text, line_no, parser, reader); }
};

ProviderEventStream::ProviderEventStream(std::string_view file, const Classifier& classifier,
                                         ParseStats& stats,
                                         const std::function<void(const Record&)>& emit,
                                         const std::function<void(const Diagnostic&)>& on_bad)
    : impl_(std::make_unique<Impl>(file, classifier, stats, emit, on_bad)) {}

ProviderEventStream::~ProviderEventStream() = default;

void ProviderEventStream::add(std::string_view text) {
  Impl& m = *impl_;
  if (m.mode == Impl::Mode::undecided) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // A pretty-printed document starts with a line holding only '[' or '{'
    // (or its first line does not close): the whole text is one document.
    // Otherwise it is NDJSON: one document per line, so that a broken line
    // cannot swallow the ones after it, and memory stays one chunk.
    const std::string_view first = trim(text.substr(0, text.find('\n')));
    m.first_line.assign(first);
    m.mode = first.size() > 1 && (first.back() == '}' || first.back() == ']') ? Impl::Mode::ndjson
             : trim_left(text).starts_with('[')                               ? Impl::Mode::array
                                                : Impl::Mode::document;
  }
  m.stats.bytes += text.size();
  switch (m.mode) {
    case Impl::Mode::ndjson:
      return m.lines(text);
    case Impl::Mode::array:
      return m.array.add(text, [&m](std::string_view text_of_element) {
        element e;
        ++m.elements;
        if (m.parser.parse(text_of_element.data(), text_of_element.size()).get(e))
          m.reader.bad(m.elements, m.first_line, "a JSON document (an element of the array)");
        else
          m.reader.event_document(e, m.elements, m.first_line);
      });
    default:
      m.document.append(text);
  }
}

void ProviderEventStream::finish() {
  Impl& m = *impl_;
  if (m.mode == Impl::Mode::array && !m.array.complete())
    m.reader.bad(m.elements + 1, m.first_line,
                 "a JSON array (the file ends inside it, or has text around it)");
  if (m.mode != Impl::Mode::document) return;
  element doc;
  if (m.parser.parse(m.document.data(), m.document.size()).get(doc)) {
    m.reader.bad(1, m.first_line, "a JSON document (the file does not parse as JSON)");
    return;
  }
  m.reader.document(doc, 1, m.first_line, true);
}

bool ProviderEventStream::ndjson() const noexcept { return impl_->mode == Impl::Mode::ndjson; }

std::uint64_t ProviderEventStream::lines() const noexcept { return impl_->line_no; }

struct ProviderEventChunk::Parser {
  simdjson::dom::parser json;
};

ProviderEventChunk::ProviderEventChunk() : parser_(std::make_unique<Parser>()) {}
ProviderEventChunk::~ProviderEventChunk() = default;
ProviderEventChunk::ProviderEventChunk(ProviderEventChunk&&) noexcept = default;
ProviderEventChunk& ProviderEventChunk::operator=(ProviderEventChunk&&) noexcept = default;

void ProviderEventChunk::parse(std::string_view text, std::string_view file,
                               const Classifier& classifier) {
  records.clear();
  strings.clear();
  bad.clear();
  stats = ParseStats{};
  lines = 0;
  const std::function<void(const Record&)> keep = [this](const Record& r) {
    for_each_view(records.emplace_back(r), [this](std::string_view& v) { v = strings.copy(v); });
  };
  const std::function<void(const Diagnostic&)> keep_bad = [this](const Diagnostic& d) {
    bad.push_back(Bad{d.line, std::string(d.text), std::string(d.problem)});
  };
  EventReader reader(file, classifier, stats, keep, keep_bad);
  read_ndjson(text, lines, parser_->json, reader);
  stats.bytes = text.size();
}

void read_provider_events(std::string_view text, std::string_view file,
                          const Classifier& classifier, ParseStats& stats,
                          const std::function<void(const Record&)>& emit,
                          const std::function<void(const Diagnostic&)>& on_bad) {
  ProviderEventStream stream(file, classifier, stats, emit, on_bad);
  stream.add(text);
  stream.finish();
}

}  // namespace bounce::formats
