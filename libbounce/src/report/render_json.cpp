// render_json: the report as JSON, schema version Report::kSchemaVersion
// (docs/report-schema.md documents every key).

#include "bounce/report.hpp"
#include "bounce/version.hpp"
#include "json_writer.hpp"
#include "report_util.hpp"

namespace bounce {
namespace {

std::string counts_json(const OutcomeCounts& c) {
  JsonObject o;
  o.add("attempts", static_cast<std::int64_t>(c.attempts))
      .add("delivered", static_cast<std::int64_t>(c.delivered))
      .add("deferred", static_cast<std::int64_t>(c.deferred))
      .add("bounced", static_cast<std::int64_t>(c.bounced))
      .add("expired", static_cast<std::int64_t>(c.expired))
      .add("rejected", static_cast<std::int64_t>(c.rejected))
      .add("dropped", static_cast<std::int64_t>(c.dropped))
      .add("complaint", static_cast<std::int64_t>(c.complaint))
      .add("hard", static_cast<std::int64_t>(c.hard))
      .add("soft", static_cast<std::int64_t>(c.soft))
      .add_number("bounce_rate", c.bounce_rate())
      .add_number("deferral_rate", c.deferral_rate());
  return o.str();
}

template <class Map>
std::string map_json(const Map& m) {
  JsonObject o;
  for (const auto& [k, v] : m) o.add_raw(k, counts_json(v));
  return o.str();
}

std::string example_json(const Example& e) {
  JsonObject o;
  o.add("time", e.time).add("file", e.file).add("line", static_cast<std::int64_t>(e.line));
  o.add("recipient", e.recipient).add("outcome", e.outcome).add("text", e.text).add("rule", e.rule);
  return o.str();
}

}  // namespace

std::string render_json(const Report& report) {
  const Aggregate& a = report.data;
  JsonObject root;
  root.add("schema_version", static_cast<std::int64_t>(Report::kSchemaVersion));
  root.add("generator", "libbounce " + std::string(version()));
  root.add("period_start", report::iso_time(a.first_us))
      .add("period_end", report::iso_time(a.last_us));
  root.add("clean", report.clean());
  root.add_raw("total", counts_json(a.total));
  root.add_raw("notifications", counts_json(a.notifications));
  root.add_raw("inbound", counts_json(a.inbound));
  root.add_raw("by_provider", map_json(a.by_provider));
  root.add_raw("by_recipient_domain", map_json(a.by_recipient_domain));
  root.add_raw("by_sender_domain", map_json(a.by_sender_domain));
  root.add_raw("by_stage", map_json(a.by_stage));
  root.add_raw("by_sending_ip", map_json(a.by_sending_ip));
  JsonObject delays;
  for (const auto& [name, q] :
       {std::pair{"p50", 0.5}, std::pair{"p90", 0.9}, std::pair{"p99", 0.99}}) {
    const double v = a.delay_percentile(q);
    if (v >= 0)
      delays.add_number(name, v);
    else
      delays.add_null(name);
  }
  root.add_raw("delay_seconds", delays.str());
  JsonObject reasons;
  for (const auto& [k, v] : a.by_reason) reasons.add(k, static_cast<std::int64_t>(v));
  root.add_raw("failures_by_reason", reasons.str());
  JsonObject by_provider_reason;
  for (const auto& [provider, m] : a.by_provider_reason) {
    JsonObject one;
    for (const auto& [k, v] : m) one.add(k, static_cast<std::int64_t>(v));
    by_provider_reason.add_raw(provider, one.str());
  }
  root.add_raw("failures_by_provider_reason", by_provider_reason.str());
  JsonObject by_provider_hour;
  for (const auto& [provider, hours] : a.by_provider_hour) {
    JsonObject one;
    for (const auto& [h, c] : hours)
      one.add_raw(report::iso_time(h * 3600000000LL), counts_json(c));
    by_provider_hour.add_raw(provider, one.str());
  }
  root.add_raw("by_provider_hour", by_provider_hour.str());
  JsonObject hours;
  for (const auto& [h, c] : a.by_hour)
    hours.add_raw(report::iso_time(h * 3600000000LL), counts_json(c));
  root.add_raw("by_hour", hours.str());
  std::string findings = "[";
  for (const Finding& f : report.findings) {
    JsonObject o;
    o.add("id", f.id).add("section", f.section).add("severity", to_string(f.severity));
    o.add("title", f.title).add("detail", f.detail).add("action", to_string(f.action));
    o.add("recommendation", f.recommendation);
    JsonObject ev;
    for (const auto& [k, v] : f.evidence) ev.add_number(k, v);
    o.add_raw("evidence", ev.str());
    std::string ex = "[";
    for (const Example& e : f.examples) ex += (ex.size() > 1 ? "," : "") + example_json(e);
    o.add_raw("examples", ex + "]");
    findings += (findings.size() > 1 ? "," : "") + o.str();
  }
  root.add_raw("findings", findings + "]");
  return root.str() + "\n";
}

}  // namespace bounce
