// Microsoft Exchange message tracking logs (MSGTRK*.LOG, 2010-2019, and the
// header-less CSV that collectors export): `#` header lines, where
// `#Fields: name,...` names the columns of the rows that follow, then one
// RFC 4180 CSV row per event. A file without a `#Fields` line uses the
// 30-column Exchange 2013-2019 order. Facts: Microsoft's "Message tracking"
// documentation (fields, event ids, sources).

#ifndef BOUNCE_SRC_FORMATS_EXCHANGE_PARSER_HPP_
#define BOUNCE_SRC_FORMATS_EXCHANGE_PARSER_HPP_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "line_class.hpp"
#include "syslog_header.hpp"

namespace bounce::formats {

/// One event row. Views are valid until the parser's next call.
struct ExchangeRow {
  LogTime time;
  std::string_view time_text, event_id, source, message_id, internal_message_id;
  std::string_view recipients;  ///< `a@x;b@y`
  std::string_view statuses;    ///< the parallel list of statuses, or ""
  std::string_view related_recipient, reference, sender, return_path;
  std::string_view client_host, client_ip, server_host, server_ip, connector;
  std::int64_t size = 0;
};

/// Reads the rows of one file, line by line; keeps the column map of the
/// last `#Fields` line (so a header block in the middle of a file applies
/// from there on).
class ExchangeParser {
 public:
  ExchangeParser();

  /// Header and blank lines are `ignored`; a row whose field count is not
  /// the column count is `unparsed`. A UTF-8 byte-order mark is skipped.
  LineClass parse(std::string_view line, ExchangeRow& out);

 private:
  enum Column : std::uint8_t {
    date_time,
    client_ip,
    client_hostname,
    server_ip,
    server_hostname,
    connector_id,
    source,
    event_id,
    internal_message_id,
    message_id,
    recipient_address,
    recipient_status,
    total_bytes,
    related_recipient_address,
    reference,
    sender_address,
    return_path,
    kColumns
  };
  void set_columns(std::string_view names);

  std::array<int, kColumns> index_{};  ///< column -> field position (-1: absent)
  std::size_t field_count_ = 0;
  std::vector<std::string_view> fields_;
  std::string unquoted_;  ///< storage for fields with doubled quotes
};

/// Splits a recipient-status field into exactly `n` statuses. Statuses hold
/// `;` themselves ("550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found"), so a
/// new one starts only at a `;` followed by a reply code and a space, or by
/// To/Cc/Bcc (mailbox submissions). Missing statuses are "".
std::vector<std::string_view> split_exchange_statuses(std::string_view field, std::size_t n);

/// True for the first line of an Exchange log: a header, or a row of the
/// header-less export (ISO time, then 29 more comma-separated fields).
bool looks_like_exchange(std::string_view line) noexcept;

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_EXCHANGE_PARSER_HPP_
