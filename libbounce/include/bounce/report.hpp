// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/report.hpp - from classified records to a deliverability diagnosis.
//
// An Aggregate counts records by outcome, reason, stage, provider, recipient
// domain, sender domain (the mail stream), sending IP and hour, and keeps the
// evidence the findings need. Aggregates merge exactly, so files or shards can
// be aggregated apart (in parallel, incrementally) and combined. (One
// exception: a re-send to a hard-bounced address is seen only by a part that
// also saw the bounce, or by a later merge of both parts' records.)
//
// diagnose() turns an Aggregate into a Report: totals, rates and Findings in
// the triage order of a deliverability engineer: where the path fails
// (universal or isolated; before, during or after the SMTP transaction),
// temporary or permanent, which providers, authentication, reputation and
// blocklists, sending behaviour (volume spikes, throttling), list hygiene and
// complaints. Every finding carries its evidence (counts, rates, example
// records with file and line) and the recommended action; a clean log yields
// no finding and says so.
//
// EXAMPLE:
//
//   bounce::Aggregate agg;
//   bounce::Reader reader;                        // attempts view: every attempt
//   reader.read_file("/var/log/mail.log", [&](const bounce::Record& r) { agg.add(r); });
//   bounce::Report report = bounce::diagnose(agg);
//   std::cout << bounce::render_text(report, /*color=*/false);
//   std::ofstream("report.json") << bounce::render_json(report);
//   std::ofstream("report.html") << bounce::render_html(report);
//
// RATES are computed over outbound delivery attempts of user mail (bounce
// notifications and verification probes are counted apart): bounce rate =
// bounced / (delivered + bounced + expired); deferral rate = deferred attempts
// / all attempts; complaint rate = complaints / delivered, where the input
// carries complaint events (provider exports). Inbound rejections at our own
// server are reported in their own section.
//
// COST: add() is O(1) amortised (a few map updates); memory grows with the
// number of distinct providers, domains, hours and hard-bounced recipients.
// diagnose() is linear in the aggregate's size.

#ifndef BOUNCE_REPORT_HPP_
#define BOUNCE_REPORT_HPP_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bounce/export.hpp"
#include "bounce/record.hpp"

namespace bounce {

/// Counts of one slice of the records (a provider, a domain, an hour, ...).
struct OutcomeCounts {
  std::uint64_t attempts = 0;
  std::uint64_t delivered = 0, deferred = 0, bounced = 0, expired = 0, rejected = 0, dropped = 0,
                complaint = 0;
  std::uint64_t hard = 0, soft = 0;  ///< failures by bounce type

  std::uint64_t final_outcomes() const noexcept { return delivered + bounced + expired; }
  double bounce_rate() const noexcept;    ///< bounced / (delivered + bounced + expired)
  double deferral_rate() const noexcept;  ///< deferred / attempts
  double failure_rate() const noexcept;   ///< (bounced + expired + deferred) / attempts
  void add(const OutcomeCounts& o) noexcept;
};

/// One record kept as evidence.
struct Example {
  std::string time;  ///< ISO 8601 UTC ("" when unknown)
  std::string file;
  std::uint64_t line = 0;
  std::string recipient;
  std::string outcome;
  std::string text;  ///< the reply or status text
  std::string rule;  ///< the classification rule that decided
  std::int64_t time_us = 0;
};

/// Everything diagnose() needs, mergeable. See the file comment.
class BOUNCE_EXPORT Aggregate {
 public:
  /// Adds one record (either view; the attempts view gives deferral rates).
  void add(const Record& r);
  /// Adds another aggregate: the result equals aggregating both inputs at once
  /// (examples keep the earliest per finding; see the file comment for the one
  /// exception).
  void merge(const Aggregate& other);

  // The counters, public for reports and custom analyses. Keys are the
  // snake_case names (reasons, providers) or the values (domains, IPs); the
  // maps take string_view lookups (std::less<>).
  template <class V>
  using Map = std::map<std::string, V, std::less<>>;
  OutcomeCounts total;          ///< outbound user mail
  OutcomeCounts notifications;  ///< bounce notifications and probes
  OutcomeCounts inbound;        ///< rejections at our own server
  Map<OutcomeCounts> by_provider, by_recipient_domain, by_sender_domain, by_sending_ip, by_stage;
  Map<std::uint64_t> by_reason;  ///< failures (deferred, bounced, expired)
  /// provider -> reason -> failures.
  Map<Map<std::uint64_t>> by_provider_reason;
  Map<std::uint64_t> by_inbound_reason;
  std::map<std::int64_t, OutcomeCounts> by_hour;  ///< key: hour since the epoch (UTC)
  /// provider -> hour -> counts, for throttling over time.
  Map<std::map<std::int64_t, OutcomeCounts>> by_provider_hour;
  /// "provider\tsender_domain\tmechanism" -> failures.
  Map<std::uint64_t> auth_failures;
  /// "list\tip or domain" -> (count, first seen, last seen in UTC microseconds).
  struct Seen {
    std::uint64_t count = 0;
    std::int64_t first_us = 0, last_us = 0;
  };
  Map<Seen> blocklistings;
  /// "provider\treason\tdetail" for throttling/reputation deferrals and blocks.
  Map<Seen> provider_pushback;
  /// recipient -> first hard bounce (address problem) and last attempt after it.
  struct DeadAddress {
    std::int64_t first_hard_us = 0;
    std::int64_t last_attempt_us = 0;
    std::uint64_t attempts_after = 0;
  };
  Map<DeadAddress> dead_addresses;
  std::int64_t first_us = 0, last_us = 0;  ///< time span (0 when unknown)
  /// Delivery delays (delivered attempts with a delay), as a log-scale
  /// histogram: bucket k holds delays up to 0.01 s * 2^(k/4). Mergeable;
  /// percentiles are exact to within one bucket (19%).
  static constexpr std::size_t kDelayBuckets = 128;
  std::vector<std::uint64_t> delay_histogram = std::vector<std::uint64_t>(kDelayBuckets, 0);
  /// The delay below which `q` (0..1) of the delivered attempts fall, in
  /// seconds (the bucket's upper bound); negative when there is no delay data.
  double delay_percentile(double q) const;
  /// Earliest examples per evidence key (at most kExamples each).
  Map<std::vector<Example>> examples;
  static constexpr std::size_t kExamples = 5;
};

enum class Severity : std::uint8_t { info, warning, critical };
BOUNCE_EXPORT std::string_view to_string(Severity s) noexcept;

/// One diagnosis with its evidence.
struct Finding {
  std::string id;       ///< stable identifier, e.g. "auth.dmarc", "blocklist.spamhaus"
  std::string section;  ///< triage section, e.g. "authentication"
  Severity severity = Severity::info;
  std::string title;   ///< one line
  std::string detail;  ///< a few sentences: what the evidence shows
  Action action = Action::investigate;
  std::string recommendation;              ///< what to do, concretely
  std::map<std::string, double> evidence;  ///< named counts and rates
  std::vector<Example> examples;
};

struct ReportOptions {
  double hard_bounce_threshold = 0.02;  ///< list hygiene (seed article: keep bounces under 2%)
  double complaint_threshold = 0.001;   ///< 0.1% (Gmail/Yahoo); 0.3% is critical
  double complaint_critical = 0.003;
  double spike_factor = 3.0;        ///< an hour with 3x its trailing median volume
  std::uint64_t min_attempts = 20;  ///< below this a slice is too small to judge
};

struct Report {
  static constexpr int kSchemaVersion = 1;
  Aggregate data;
  std::vector<Finding> findings;  ///< in triage order, most severe first within a section
  bool clean() const noexcept { return findings.empty(); }
};

/// Diagnoses an aggregate. Never throws for any input.
BOUNCE_EXPORT Report diagnose(const Aggregate& aggregate, const ReportOptions& options = {});

/// Renders for a terminal; ANSI colour only when `color` is set.
BOUNCE_EXPORT std::string render_text(const Report& report, bool color = false);
/// JSON, schema version Report::kSchemaVersion (documented in docs/report-schema.md).
BOUNCE_EXPORT std::string render_json(const Report& report);
/// One self-contained HTML page with inline SVG charts (no network access).
BOUNCE_EXPORT std::string render_html(const Report& report);

}  // namespace bounce

#endif  // BOUNCE_REPORT_HPP_
