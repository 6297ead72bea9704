// The Exchange message tracking parser; see exchange_parser.hpp.

#include "exchange_parser.hpp"

#include "text_util.hpp"

namespace bounce::formats {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// The 2013-2019 column order, used when a file has no #Fields line.
constexpr std::string_view kStandardFields =
    "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,"
    "source,event-id,internal-message-id,message-id,network-message-id,recipient-address,"
    "recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
    "message-subject,sender-address,return-path,message-info,directionality,tenant-id,"
    "original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,"
    "schema-version";

constexpr std::array<std::string_view, 17> kColumnNames = {"date-time",
                                                           "client-ip",
                                                           "client-hostname",
                                                           "server-ip",
                                                           "server-hostname",
                                                           "connector-id",
                                                           "source",
                                                           "event-id",
                                                           "internal-message-id",
                                                           "message-id",
                                                           "recipient-address",
                                                           "recipient-status",
                                                           "total-bytes",
                                                           "related-recipient-address",
                                                           "reference",
                                                           "sender-address",
                                                           "return-path"};

// Splits an RFC 4180 row into fields; quoted fields lose their quotes and
// doubled quotes, written to `storage`, which is reset and reserved first so
// that it never reallocates under the views already taken.
void split_csv(std::string_view line, std::vector<std::string_view>& fields, std::string& storage) {
  fields.clear();
  storage.clear();
  storage.reserve(line.size());
  std::size_t i = 0;
  for (;;) {
    if (i < line.size() && line[i] == '"') {
      std::size_t j = i + 1;
      bool doubled = false;
      for (; j < line.size(); ++j) {
        if (line[j] != '"') continue;
        if (j + 1 < line.size() && line[j + 1] == '"') {
          doubled = true;
          ++j;
          continue;
        }
        break;
      }
      std::string_view inner = line.substr(i + 1, std::min(j, line.size()) - i - 1);
      if (doubled) {
        const std::size_t start = storage.size();
        for (std::size_t k = 0; k < inner.size(); ++k) {
          storage.push_back(inner[k]);
          if (inner[k] == '"' && k + 1 < inner.size() && inner[k + 1] == '"') ++k;
        }
        inner = std::string_view(storage).substr(start);
      }
      fields.push_back(inner);
      i = line.find(',', std::min(j, line.size()));
    } else {
      const std::size_t comma = line.find(',', i);
      fields.push_back(line.substr(i, comma == std::string_view::npos ? line.npos : comma - i));
      i = comma;
    }
    if (i == std::string_view::npos || i >= line.size()) break;
    ++i;  // past the comma: a trailing comma leaves one more, empty field
    if (i == line.size()) {
      fields.push_back({});
      break;
    }
  }
}

bool starts_status(std::string_view s) {
  if (s.size() >= 4 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && s[3] == ' ')
    return true;
  for (std::string_view kind : {"To", "Cc", "Bcc"})
    if (s.starts_with(kind) && (s.size() == kind.size() || s[kind.size()] == ';')) return true;
  return false;
}

}  // namespace

ExchangeParser::ExchangeParser() { set_columns(kStandardFields); }

void ExchangeParser::set_columns(std::string_view names) {
  std::string storage;
  std::vector<std::string_view> fields;
  split_csv(names, fields, storage);
  index_.fill(-1);
  for (std::size_t f = 0; f < fields.size(); ++f)
    for (std::size_t c = 0; c < kColumnNames.size(); ++c)
      if (trim(fields[f]) == kColumnNames[c]) index_[c] = static_cast<int>(f);
  field_count_ = fields.size();
}

LineClass ExchangeParser::parse(std::string_view line, ExchangeRow& out) {
  if (line.starts_with(kBom)) line.remove_prefix(kBom.size());
  if (trim(line).empty()) return LineClass::ignored;
  if (line.front() == '#') {
    if (line.starts_with("#Fields:")) set_columns(trim(line.substr(8)));
    return LineClass::ignored;
  }
  split_csv(line, fields_, unquoted_);
  if (fields_.size() != field_count_) return LineClass::unparsed;
  const auto get = [this](Column c) {
    return index_[c] < 0 ? std::string_view{} : fields_[static_cast<std::size_t>(index_[c])];
  };
  out = ExchangeRow{};
  out.time_text = get(date_time);
  if (parse_iso8601(out.time_text, out.time) != out.time_text.size() || out.time_text.empty())
    return LineClass::unparsed;
  out.event_id = get(event_id);
  if (out.event_id.empty()) return LineClass::unparsed;
  out.source = get(source);
  out.message_id = get(message_id);
  if (out.message_id.size() >= 2 && out.message_id.front() == '<' && out.message_id.back() == '>')
    out.message_id = out.message_id.substr(1, out.message_id.size() - 2);
  out.internal_message_id = get(internal_message_id);
  out.recipients = get(recipient_address);
  out.statuses = get(recipient_status);
  out.related_recipient = get(related_recipient_address);
  out.reference = get(reference);
  out.sender = get(sender_address);
  out.return_path = get(return_path);
  out.client_host = get(client_hostname);
  out.client_ip = get(client_ip);
  out.server_host = get(server_hostname);
  out.server_ip = get(server_ip);
  out.connector = get(connector_id);
  out.size = to_int(get(total_bytes));
  return LineClass::parsed;
}

std::vector<std::string_view> split_exchange_statuses(std::string_view field, std::size_t n) {
  std::vector<std::string_view> parts;
  if (n == 0) return parts;
  if (!field.empty()) {
    std::size_t start = 0;
    for (std::size_t i = field.find(';'); i != std::string_view::npos && parts.size() + 1 < n;
         i = field.find(';', i + 1))
      if (starts_status(field.substr(i + 1))) {
        parts.push_back(field.substr(start, i - start));
        start = i + 1;
      }
    parts.push_back(field.substr(start));
  }
  parts.resize(n);
  return parts;
}

bool looks_like_exchange(std::string_view line) noexcept {
  if (line.starts_with(kBom)) line.remove_prefix(kBom.size());
  if (line.starts_with("#Software: Microsoft Exchange") || line.starts_with("#Fields: date-time"))
    return true;
  LogTime t;
  const std::size_t n = parse_iso8601(line, t);
  if (n < 19 || line[10] != 'T' || n >= line.size() || line[n] != ',') return false;
  std::size_t commas = 0;
  for (char c : line) commas += c == ',';
  return commas >= 25;
}

}  // namespace bounce::formats
