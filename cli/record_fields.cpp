#include "record_fields.hpp"

#include <cstdio>

#include "classification_fields.hpp"
#include "utc_time.hpp"

namespace bounce::cli {
namespace {

// The record's own columns; the classification's are appended after them.
const std::vector<std::string_view> kOwnColumns = {"time",
                                                   "time_text",
                                                   "format",
                                                   "host",
                                                   "message_key",
                                                   "origin_key",
                                                   "message_id",
                                                   "sender",
                                                   "size",
                                                   "client_host",
                                                   "client_ip",
                                                   "notification",
                                                   "probe",
                                                   "recipient",
                                                   "orig_recipient",
                                                   "recipient_domain",
                                                   "relay_host",
                                                   "relay_ip",
                                                   "relay_port",
                                                   "outcome",
                                                   "status",
                                                   "dsn",
                                                   "reply_text",
                                                   "diagnostic",
                                                   "phase",
                                                   "delay_s",
                                                   "delays",
                                                   "tls",
                                                   "attempt",
                                                   "file",
                                                   "line"};

std::string number_or_empty(std::int64_t v, bool present) {
  return present ? std::to_string(v) : std::string();
}

std::string delay_text(double d) {
  if (d < 0) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d);
  return buf;
}

}  // namespace

std::string format_utc(std::int64_t micros) { return bounce::format_utc(micros, true); }

const std::vector<std::string_view>& record_columns() {
  static const std::vector<std::string_view> columns = [] {
    std::vector<std::string_view> all = kOwnColumns;
    for (auto c : classification_columns()) all.push_back(c);
    return all;
  }();
  return columns;
}

std::vector<std::string> record_cells(const Record& r) {
  std::vector<std::string> cells = {r.has_time ? format_utc(r.time_us) : std::string(),
                                    std::string(r.time_text),
                                    std::string(to_string(r.format)),
                                    std::string(r.host),
                                    std::string(r.message_key),
                                    std::string(r.origin_key),
                                    std::string(r.message_id),
                                    std::string(r.sender),
                                    number_or_empty(r.size, r.size > 0),
                                    std::string(r.client_host),
                                    std::string(r.client_ip),
                                    r.notification ? "true" : "false",
                                    r.probe ? "true" : "false",
                                    std::string(r.recipient),
                                    std::string(r.orig_recipient),
                                    std::string(r.recipient_domain),
                                    std::string(r.relay_host),
                                    std::string(r.relay_ip),
                                    number_or_empty(r.relay_port, r.relay_port > 0),
                                    std::string(to_string(r.outcome)),
                                    std::string(r.status),
                                    std::string(r.enhanced_code),
                                    std::string(r.reply_text),
                                    std::string(r.diagnostic),
                                    std::string(r.phase),
                                    delay_text(r.delay_s),
                                    std::string(r.delays),
                                    std::string(r.tls),
                                    number_or_empty(r.attempt, r.attempt > 0),
                                    std::string(r.file),
                                    number_or_empty(static_cast<std::int64_t>(r.line), r.line > 0)};
  for (auto& c : classification_cells(r.classification)) cells.push_back(std::move(c));
  return cells;
}

void write_record_json(JsonObject& o, const Record& r) {
  if (r.has_time)
    o.add("time", format_utc(r.time_us));
  else
    o.add_null("time");
  o.add("time_text", r.time_text)
      .add("format", to_string(r.format))
      .add("host", r.host)
      .add("message_key", r.message_key)
      .add("origin_key", r.origin_key)
      .add("message_id", r.message_id)
      .add("sender", r.sender);
  if (r.size > 0)
    o.add("size", r.size);
  else
    o.add_null("size");
  o.add("client_host", r.client_host)
      .add("client_ip", r.client_ip)
      .add("notification", r.notification)
      .add("probe", r.probe)
      .add("recipient", r.recipient)
      .add("orig_recipient", r.orig_recipient)
      .add("recipient_domain", r.recipient_domain)
      .add("relay_host", r.relay_host)
      .add("relay_ip", r.relay_ip);
  if (r.relay_port > 0)
    o.add("relay_port", static_cast<std::int64_t>(r.relay_port));
  else
    o.add_null("relay_port");
  o.add("sending_ip", r.sending_ip);
  o.add("outcome", to_string(r.outcome))
      .add("status", r.status)
      .add("dsn", r.enhanced_code)
      .add("reply_text", r.reply_text)
      .add("diagnostic", r.diagnostic)
      .add("phase", r.phase);
  if (r.delay_s >= 0)
    o.add_number("delay_s", r.delay_s);
  else
    o.add_null("delay_s");
  o.add("delays", r.delays).add("tls", r.tls).add("attempt", static_cast<std::int64_t>(r.attempt));
  o.add("file", r.file).add("line", static_cast<std::int64_t>(r.line));
  add_classification(o, r.classification);
}

}  // namespace bounce::cli
