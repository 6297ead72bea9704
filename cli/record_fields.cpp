#include "record_fields.hpp"

#include <cstdio>

#include "classification_fields.hpp"
#include "utc_time.hpp"

namespace bounce::cli {
namespace {

using T = FieldType;

// Accessor shorthands: a text member, a count that is absent at 0, an enum.
#define BOUNCE_TEXT(expr) [](const Record& r, std::string&) -> std::string_view { return expr; }
#define BOUNCE_COUNT(expr)                 \
  [](const Record& r, std::int64_t& out) { \
    out = static_cast<std::int64_t>(expr); \
    return out > 0;                        \
  }
#define BOUNCE_ENUM(expr)                  \
  [](const Record& r, std::int64_t& out) { \
    out = static_cast<std::int64_t>(expr); \
    return true;                           \
  }

template <class E>
std::vector<std::string_view> names() {
  std::vector<std::string_view> out;
  for (E v : all_values<E>()) out.push_back(to_string(v));
  return out;
}

RecordField text(std::string_view name, std::string_view (*get)(const Record&, std::string&)) {
  return {name, T::text, get};
}
// A text column that is the Record member M as it is.
template <std::string_view Record::*M>
RecordField member(std::string_view name) {
  RecordField f = text(name, [](const Record& r, std::string&) { return r.*M; });
  f.member = M;
  return f;
}
RecordField integer(std::string_view name, FieldType type,
                    bool (*get)(const Record&, std::int64_t&)) {
  return {name, type, nullptr, get};
}
template <class E>
RecordField vocabulary(std::string_view name, bool (*get)(const Record&, std::int64_t&)) {
  return {name, T::vocabulary, nullptr, get, nullptr, names<E>()};
}

std::vector<RecordField> make_fields() {
  std::vector<RecordField> f = {
      integer("time", T::time,
              [](const Record& r, std::int64_t& out) {
                out = r.time_us;
                return r.has_time;
              }),
      member<&Record::time_text>("time_text"),
      vocabulary<Format>("format", BOUNCE_ENUM(r.format)),
      member<&Record::host>("host"),
      member<&Record::message_key>("message_key"),
      member<&Record::origin_key>("origin_key"),
      member<&Record::message_id>("message_id"),
      member<&Record::sender>("sender"),
      integer("size", T::integer, BOUNCE_COUNT(r.size)),
      member<&Record::client_host>("client_host"),
      member<&Record::client_ip>("client_ip"),
      integer("notification", T::flag, BOUNCE_ENUM(r.notification)),
      integer("probe", T::flag, BOUNCE_ENUM(r.probe)),
      member<&Record::recipient>("recipient"),
      member<&Record::orig_recipient>("orig_recipient"),
      member<&Record::recipient_domain>("recipient_domain"),
      member<&Record::relay_host>("relay_host"),
      member<&Record::relay_ip>("relay_ip"),
      integer("relay_port", T::integer, BOUNCE_COUNT(r.relay_port)),
      member<&Record::sending_ip>("sending_ip"),
      vocabulary<Outcome>("outcome", BOUNCE_ENUM(r.outcome)),
      member<&Record::status>("status"),
      member<&Record::enhanced_code>("dsn"),
      member<&Record::reply_text>("reply_text"),
      member<&Record::diagnostic>("diagnostic"),
      member<&Record::phase>("phase"),
      {"delay_s", T::real, nullptr, nullptr,
       [](const Record& r, double& out) {
         out = r.delay_s;
         return r.delay_s >= 0;
       }},
      member<&Record::delays>("delays"),
      member<&Record::tls>("tls"),
      integer("attempt", T::integer, BOUNCE_COUNT(r.attempt)),
      member<&Record::file>("file"),
      integer("line", T::integer, BOUNCE_COUNT(r.line)),
      // The classification's columns (classification_columns()).
      integer("reply_code", T::integer, BOUNCE_COUNT(r.classification.reply_code)),
      text("enhanced_code",
           [](const Record& r, std::string& scratch) -> std::string_view {
             if (!r.classification.enhanced.valid()) return {};
             return scratch = r.classification.enhanced.to_string();
           }),
      vocabulary<BounceType>("bounce_type", BOUNCE_ENUM(r.classification.bounce_type)),
      integer("suppress_recipient", T::flag, BOUNCE_ENUM(r.classification.suppress_recipient)),
      vocabulary<Reason>("reason", BOUNCE_ENUM(r.classification.reason)),
      text("detail", BOUNCE_TEXT(r.classification.detail)),
      vocabulary<Action>("action", BOUNCE_ENUM(r.classification.action)),
      vocabulary<Stage>("stage", BOUNCE_ENUM(r.classification.stage)),
      vocabulary<Provider>("provider", BOUNCE_ENUM(r.classification.provider)),
      text("rule", BOUNCE_TEXT(r.classification.rule.id)),
      text("rule_source", BOUNCE_TEXT(r.classification.rule.source)),
  };
  return f;
}

#undef BOUNCE_TEXT
#undef BOUNCE_COUNT
#undef BOUNCE_ENUM

}  // namespace

std::string format_utc(std::int64_t micros) { return bounce::format_utc(micros, true); }

const std::vector<RecordField>& record_fields() {
  static const std::vector<RecordField> fields = make_fields();
  return fields;
}

const std::vector<std::string_view>& record_columns() {
  static const std::vector<std::string_view> columns = [] {
    std::vector<std::string_view> names;
    for (const RecordField& f : record_fields()) names.push_back(f.name);
    return names;
  }();
  return columns;
}

std::string_view field_text(const RecordField& f, const Record& r, std::string& scratch) {
  std::int64_t n = 0;
  switch (f.type) {
    case T::text:
      return f.text(r, scratch);
    case T::time:
      return f.integer(r, n) ? (scratch = bounce::format_utc(n, true)) : std::string_view{};
    case T::integer:
      return f.integer(r, n) ? (scratch = std::to_string(n)) : std::string_view{};
    case T::flag:
      f.integer(r, n);
      return n ? "true" : "false";
    case T::vocabulary:
      f.integer(r, n);
      return f.vocabulary[static_cast<std::size_t>(n)];
    case T::real: {
      double d = 0;
      if (!f.real(r, d)) return {};
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", d);
      return scratch = buf;
    }
  }
  return {};
}

std::vector<std::string> record_cells(const Record& r) {
  std::vector<std::string> cells;
  cells.reserve(record_fields().size());
  std::string scratch;
  for (const RecordField& f : record_fields()) cells.emplace_back(field_text(f, r, scratch));
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
