// What one Postfix log line says, as parsed by parse_postfix_line: stateless,
// with every string a view into the line. The correlator turns sequences of
// these into records.

#ifndef BOUNCE_SRC_FORMATS_POSTFIX_EVENT_HPP_
#define BOUNCE_SRC_FORMATS_POSTFIX_EVENT_HPP_

#include <cstdint>
#include <string_view>

#include "bounce/classifier.hpp"
#include "line_class.hpp"
#include "syslog_header.hpp"
#include "text_util.hpp"

namespace bounce::formats {

enum class PostfixEventKind : std::uint8_t {
  none,          ///< parsed, but changes nothing (resent-message-id, postsuper expired)
  client,        ///< smtpd `QID: client=host[ip]` (start of an SMTP-received message)
  pickup,        ///< pickup `QID: uid=N from=<s>` (local submission), maybe orig_id=
  message_id,    ///< cleanup `QID: message-id=<id>`
  queued,        ///< qmgr `QID: from=<s>, size=N, nrcpt=N (queue active)`
  delivery,      ///< `QID: to=<r>, relay=..., status=S (text)` (one attempt for one recipient)
  expired,       ///< qmgr `QID: from=<s>, status=expired|force-expired, returned to sender`
  removed,       ///< qmgr `QID: removed`
  notification,  ///< bounce `QID: sender non-delivery notification: NEWQID`
  mx_evidence,   ///< smtp `QID: host H[ip] said: ...` (one MX refused; the to= line follows)
  requeued,      ///< postsuper `QID: requeued`
  reject,        ///< smtpd/postscreen `NOQUEUE: reject: ...`, cleanup `QID: milter-reject: ...`
};

struct PostfixEvent {
  PostfixEventKind kind = PostfixEventKind::none;
  std::string_view daemon;    ///< "smtp", "qmgr", "discard", ... ("" without a header)
  std::string_view queue_id;  ///< "" for NOQUEUE
  // delivery
  std::string_view recipient, orig_recipient, relay, relay_host, relay_ip;
  int relay_port = 0;
  std::string_view status;      ///< sent, deferred, bounced, SOFTBOUNCE, deliverable, ...
  std::string_view diagnostic;  ///< the parenthesised status text, whole
  std::string_view reply_text;  ///< the remote reply without "host H said:" and phase
  std::string_view
      remote_host;  ///< host named in the text ("host H[ip] said:", "connect to H[ip]")
  int reply_code = 0;
  std::string_view dsn;
  std::string_view phase;  ///< "RCPT TO", "end of DATA", "MAIL FROM", "connect", ...
  double delay = -1;
  std::string_view delays, tls, conn_use;
  // message facts
  std::string_view sender;  ///< also for reject lines
  bool has_sender = false;  ///< a from= was present (sender may be "" for <>)
  std::int64_t size = 0;
  int nrcpt = 0;
  std::string_view message_id;
  std::string_view client_host, client_ip;
  std::string_view new_queue_id;       ///< notification target, queued-as hop, orig_id parent
  std::string_view notification_kind;  ///< "sender non-delivery notification", ...
  /// The verdict on a delivery or reject line. Everything it needs is on the
  /// line itself, so the reader computes it in the parallel step.
  Classification classification;
};

/// Classifies a delivery or reject event from the facts on its own line.
void classify_postfix_event(const Classifier& classifier, PostfixEvent& e) noexcept;

/// Parses the message part of a line logged by a Postfix program. `daemon`
/// is the last component of the program name ("smtp", "qmgr"; "" when the
/// line had no header). Returns where the line lands in the statistics. A
/// message without a queue id ("connect from ...") is ignored without
/// resetting `out` beyond its kind (none): a quarter of a log's lines.
LineClass parse_postfix_message(std::string_view daemon, std::string_view message,
                                PostfixEvent& out) noexcept;

/// True for a program name Postfix writes: "postfix/smtp", "postfix-out/qmgr",
/// "postfix/submission/smtpd": it starts with "postfix" and a daemon follows
/// a '/'. Inline, as it runs on every line; the '/' is looked for where it
/// nearly always is before a search.
inline bool is_postfix_program(std::string_view program) noexcept {
  return program.size() >= 8 && same_text(unchecked_substr(program, 0, 7), "postfix") &&
         (program[7] == '/' || program.find('/', 8) != std::string_view::npos);
}

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_POSTFIX_EVENT_HPP_
