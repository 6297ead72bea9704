// Exim main log lines (standalone, or carried through syslog as
// `exim[pid]: ` before Exim's own timestamp): `DATE TIME[.frac][ ±hhmm]
// [[pid] ]MSGID FLAG ADDRESS[ <TOP>] FIELD=value ...[: error text]`.
// Message ids: classic 6-6-2 and Exim 4.97+ 6-11-4 characters.
// Facts: Exim's src/src/receive.c (arrival), deliver.c (delivery_log,
// deferral_log, failure_log), transports/smtp.c (the SMTP error text).

#ifndef BOUNCE_SRC_FORMATS_EXIM_PARSER_HPP_
#define BOUNCE_SRC_FORMATS_EXIM_PARSER_HPP_

#include <string_view>

#include "bounce/classifier.hpp"
#include "bounce/record.hpp"
#include "line_class.hpp"
#include "syslog_header.hpp"

namespace bounce::formats {

enum class EximEventKind : std::uint8_t {
  none,       ///< parsed, no outcome (Completed handled apart, Frozen, per-host evidence)
  arrival,    ///< `<=` or `(=`
  delivery,   ///< `=>`, `->`, `>>`, `*>`
  failure,    ///< `**`
  deferral,   ///< `==`
  completed,  ///< `Completed`
  reject,     ///< `... rejected RCPT <addr>: ...` (no message id): refused at our server
};

struct EximEvent {
  EximEventKind kind = EximEventKind::none;
  LogTime time;
  std::string_view time_text, host;  ///< host: the syslog hostname, "" standalone
  std::string_view id;               ///< message id ("" for reject lines)
  std::string_view flag;             ///< "=>", "**", ...
  std::string_view address;          ///< the address after the flag (sender on `<=`)
  std::string_view top_address;      ///< "<top>" after a pipe/file/local-part address
  // Fields.
  std::string_view router, transport_or_subject, remote_host, remote_ip, confirmation;
  std::string_view message_id, parent_id, client_host, client_ip, tls;
  std::int64_t size = 0;
  // The error of `**`/`==` lines (and the reason of reject lines).
  std::string_view error, reply, phase, error_host;
  /// The verdict on an outcome or reject line (classify_exim_event). All it
  /// needs is on the line itself, so the reader computes it in parallel.
  Classification classification;
};

/// Parses one line (without its newline).
LineClass parse_exim_line(std::string_view line, EximEvent& out) noexcept;

/// What an outcome line (delivery, failure, deferral) says, for the
/// correlator and the classification alike: the recipient (the address, or
/// the <top> address of a pipe, file or bare local part), the host that
/// answered, and the outcome.
std::string_view exim_recipient(const EximEvent& e) noexcept;
std::string_view exim_remote_host(const EximEvent& e) noexcept;
Outcome exim_outcome(const EximEvent& e) noexcept;

/// Classifies an outcome or reject line from the facts on its own line.
void classify_exim_event(const Classifier& classifier, EximEvent& e) noexcept;

/// True for an Exim message id ("1RwtJa-000AFB-07", "1rT0J1-000000003pC-21ct").
bool is_exim_id(std::string_view token) noexcept;

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_EXIM_PARSER_HPP_
