// Sendmail syslog lines (`sendmail`, `sm-mta`, `sm-msp-queue`, with or
// without a Solaris `[ID n mail.info]` tag): `QID: key=value, ...` from
// logsender() (`from=`) and logdelivery() (`to=`), the savemail.c links
// (`QID: NEWQID: DSN: ...`, `return to sender:`, `sender notify:`) and the
// RCPT-time refusals (`ruleset=check_rcpt, ... reject=...`, `<addr>... text`).
//
// Fields are separated by ", " (or a bare "," before `stat=`); `stat=` and
// `reject=` run to the end of the line, so their text may hold ", " and ";".

#ifndef BOUNCE_SRC_FORMATS_SENDMAIL_PARSER_HPP_
#define BOUNCE_SRC_FORMATS_SENDMAIL_PARSER_HPP_

#include <cstdint>
#include <string_view>

#include "line_class.hpp"
#include "syslog_header.hpp"

namespace bounce::formats {

enum class SendmailEventKind : std::uint8_t {
  from,    ///< `QID: from=...`: the envelope
  to,      ///< `QID: to=...`: one delivery attempt for one or more recipients
  link,    ///< `QID: NEWQID: DSN|return to sender|sender notify|postmaster notify: text`
  reject,  ///< a recipient refused at RCPT time by this server
};

struct SendmailEvent {
  SyslogLine header;
  SendmailEventKind kind = SendmailEventKind::from;
  std::string_view qid;
  // from=
  std::string_view sender, msgid, proto;
  std::int64_t size = 0;
  int nrcpts = 0;  ///< recipients of the message (0 = not logged)
  // to=
  std::string_view to;       ///< the raw list: `<a>,<b>`, `Name <a>`, `"|prog"`, `/file`
  std::string_view ctladdr;  ///< the controlling address, `<addr> (uid/gid)`
  std::string_view mailer, dsn, stat;
  double delay_s = -1;
  // from= (client) and to= (next hop): `relay=name. [ip]`, split.
  std::string_view relay_host, relay_ip;
  // link
  std::string_view new_qid, link_kind, link_text;
  // reject: the refused recipient and the refusal text ("550 5.7.1 <a>... Relaying denied").
  std::string_view recipient, reject_text;
};

/// Parses one line (without its newline). Lines of other programs, and
/// Sendmail lines without per-recipient facts (STARTTLS=, AUTH=, milter
/// notes, connection-level rulesets), are `ignored`.
LineClass parse_sendmail_line(std::string_view line, SendmailEvent& out) noexcept;

/// True for the programs Sendmail logs as: sendmail, sm-mta, sm-msp-queue.
bool is_sendmail_program(std::string_view program) noexcept;

/// `[D+]HH:MM:SS` in seconds; negative when malformed.
double parse_sendmail_delay(std::string_view text) noexcept;

/// Splits a `relay=` value: `mx.example.org. [IPv6:2001:db8::1]` -> host
/// `mx.example.org`, ip `2001:db8::1`; `[127.0.0.1] [127.0.0.1]` -> ip only;
/// `user@localhost` (a local submission) -> neither.
void split_sendmail_relay(std::string_view value, std::string_view& host,
                          std::string_view& ip) noexcept;

/// The address of one `to=` entry: `Tom Baker <t@x>` -> `t@x`; `"|prog"` and
/// `/file` (pipe and file deliveries) -> "" (the caller uses ctladdr=).
std::string_view sendmail_recipient_address(std::string_view entry) noexcept;

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_SENDMAIL_PARSER_HPP_
