// Aggregate: counting records into mergeable slices, and keeping evidence.

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bounce/report.hpp"
#include "report_util.hpp"
#include "text_util.hpp"
#include "utc_time.hpp"

namespace bounce {
namespace report {

std::string iso_time(std::int64_t micros) {
  return micros == 0 ? std::string() : format_utc(micros, false);
}

std::string first_ipv4(std::string_view t) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) || (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.'))) continue;
    std::size_t p = i;
    int parts = 0;
    while (parts < 4) {
      std::size_t n = 0;
      while (p + n < t.size() && is_digit(t[p + n]) && n < 4) ++n;
      if (n == 0 || n > 3) break;
      p += n;
      ++parts;
      if (parts < 4) {
        if (p >= t.size() || t[p] != '.') break;
        ++p;
      }
    }
    if (parts == 4 && (p >= t.size() || !is_digit(t[p]))) return std::string(t.substr(i, p - i));
  }
  return {};
}

std::string percent(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate < 0.001 && rate > 0 ? "%.2f%%" : "%.1f%%", rate * 100);
  return buf;
}

}  // namespace report

namespace {

// map[key] without allocating when the key exists (the common case).
template <class M>
typename M::mapped_type& slot(M& map, std::string_view key) {
  if (const auto it = map.find(key); it != map.end()) return it->second;
  return map.emplace(std::string(key), typename M::mapped_type{}).first->second;
}

// Lower-case domain of an address, "(local)" without one; `if_empty` for "".
std::string_view domain_view(std::string_view address, std::string_view if_empty,
                             std::string& buf) {
  if (address.empty()) return if_empty;
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "(local)";
  return lower_into(address.substr(at + 1), buf);
}

// An empty sender on user mail (notifications, the null sender's, are counted
// apart): the message's earlier lines are not in the log (it starts mid-stream).
constexpr std::string_view kSenderNotInLog = "(sender not in log)";

void count(OutcomeCounts& c, const Record& r) {
  ++c.attempts;
  switch (r.outcome) {
    case Outcome::delivered:
      ++c.delivered;
      break;
    case Outcome::deferred:
      ++c.deferred;
      break;
    case Outcome::bounced:
      ++c.bounced;
      break;
    case Outcome::expired:
      ++c.expired;
      break;
    case Outcome::rejected:
      ++c.rejected;
      break;
    case Outcome::dropped:
      ++c.dropped;
      break;
    case Outcome::complaint:
      ++c.complaint;
      break;
    case Outcome::unknown:
      break;
  }
  const bool failure = r.outcome == Outcome::deferred || r.outcome == Outcome::bounced ||
                       r.outcome == Outcome::expired || r.outcome == Outcome::rejected;
  if (failure && r.classification.bounce_type == BounceType::hard) ++c.hard;
  if (failure && r.classification.bounce_type == BounceType::soft) ++c.soft;
}

bool is_failure(Outcome o) {
  return o == Outcome::deferred || o == Outcome::bounced || o == Outcome::expired;
}

void touch(Aggregate::Seen& s, std::int64_t t) {
  if (s.count == 0 || (t != 0 && (s.first_us == 0 || t < s.first_us))) s.first_us = t;
  if (t > s.last_us) s.last_us = t;
  ++s.count;
}

void merge_seen(Aggregate::Seen& a, const Aggregate::Seen& b) {
  if (b.count == 0) return;
  if (a.count == 0 || (b.first_us != 0 && (a.first_us == 0 || b.first_us < a.first_us)))
    a.first_us = b.first_us;
  a.last_us = std::max(a.last_us, b.last_us);
  a.count += b.count;
}

bool earlier(const Example& a, const Example& b) {
  if (a.time_us != b.time_us) return a.time_us < b.time_us;
  if (a.file != b.file) return a.file < b.file;
  return a.line < b.line;
}

void keep_example(std::vector<Example>& list, Example e) {
  if (list.size() >= Aggregate::kExamples && !earlier(e, list.back())) return;
  list.insert(std::upper_bound(list.begin(), list.end(), e, earlier), std::move(e));
  if (list.size() > Aggregate::kExamples) list.pop_back();
}

// Whether a record would be kept as an example: checked before building one.
bool wanted(const std::vector<Example>& list, const Record& r) {
  if (list.size() < Aggregate::kExamples) return true;
  const Example& last = list.back();
  const std::int64_t t = r.has_time ? r.time_us : 0;
  if (t != last.time_us) return t < last.time_us;
  if (r.file != last.file) return r.file < last.file;
  return r.line < last.line;
}

Example example_of(const Record& r);

void keep(Aggregate::Map<std::vector<Example>>& examples, std::string_view key, const Record& r) {
  std::vector<Example>& list = slot(examples, key);
  if (wanted(list, r)) keep_example(list, example_of(r));
}

Example example_of(const Record& r) {
  Example e;
  e.time = r.has_time ? report::iso_time(r.time_us) : std::string();
  e.time_us = r.has_time ? r.time_us : 0;
  e.file = std::string(r.file);
  e.line = r.line;
  e.recipient = std::string(r.recipient);
  e.outcome = std::string(to_string(r.outcome));
  e.text = std::string(r.reply_text.empty() ? r.diagnostic : r.reply_text);
  e.rule = std::string(r.classification.rule.id);
  return e;
}

}  // namespace

double OutcomeCounts::bounce_rate() const noexcept {
  const auto n = final_outcomes();
  return n ? static_cast<double>(bounced + expired) / static_cast<double>(n) : 0;
}
double OutcomeCounts::deferral_rate() const noexcept {
  return attempts ? static_cast<double>(deferred) / static_cast<double>(attempts) : 0;
}
double OutcomeCounts::failure_rate() const noexcept {
  return attempts
             ? static_cast<double>(bounced + expired + deferred) / static_cast<double>(attempts)
             : 0;
}
void OutcomeCounts::add(const OutcomeCounts& o) noexcept {
  attempts += o.attempts;
  delivered += o.delivered;
  deferred += o.deferred;
  bounced += o.bounced;
  expired += o.expired;
  rejected += o.rejected;
  dropped += o.dropped;
  complaint += o.complaint;
  hard += o.hard;
  soft += o.soft;
}

void Aggregate::add(const Record& r) {
  const std::int64_t t = r.has_time ? r.time_us : 0;
  if (t != 0) {
    if (first_us == 0 || t < first_us) first_us = t;
    if (t > last_us) last_us = t;
  }
  const Classification& c = r.classification;
  const std::string_view reason = to_string(c.reason);
  std::string key;                       // reused for composed keys
  if (r.outcome == Outcome::rejected) {  // our own server refused it (inbound)
    count(inbound, r);
    ++slot(by_inbound_reason, reason);
    keep(examples, (key = "inbound/").append(reason), r);
    return;
  }
  if (r.notification || r.probe) {
    count(notifications, r);
    return;
  }
  count(total, r);
  const std::string_view provider = to_string(c.provider);
  count(slot(by_provider, provider), r);
  std::string buf;
  const std::string_view rdomain = domain_view(r.recipient, "", buf);
  if (!rdomain.empty()) count(slot(by_recipient_domain, rdomain), r);
  if (!r.sending_ip.empty()) count(slot(by_sending_ip, r.sending_ip), r);
  if (r.outcome == Outcome::delivered && r.delay_s >= 0 && std::isfinite(r.delay_s)) {
    // Bucket k: delays up to 0.01 s * 2^(k/4).
    const double scaled = r.delay_s / 0.01;
    const std::size_t k =
        scaled <= 1
            ? 0
            : std::min<std::size_t>(kDelayBuckets - 1,
                                    static_cast<std::size_t>(std::ceil(4 * std::log2(scaled))));
    ++delay_histogram[k];
  }
  count(slot(by_sender_domain, domain_view(r.sender, kSenderNotInLog, buf)), r);
  if (t != 0) {
    const std::int64_t hour = t / 3600000000LL;
    count(by_hour[hour], r);
    count(slot(by_provider_hour, provider)[hour], r);
  }

  // Complaints and dead addresses are about the recipient, whatever the outcome.
  if (r.outcome == Outcome::complaint) {
    keep(examples, "complaint", r);
    return;
  }
  if (!dead_addresses.empty() && t != 0) {
    if (const auto it = dead_addresses.find(lower_into(r.recipient, buf));
        it != dead_addresses.end() && t > it->second.first_hard_us) {
      ++it->second.attempts_after;
      it->second.last_attempt_us = std::max(it->second.last_attempt_us, t);
      keep(examples, "dead_address", r);
    }
  }
  if (!is_failure(r.outcome)) return;

  ++slot(by_reason, reason);
  ++slot(slot(by_provider_reason, provider), reason);
  const std::string_view stage = to_string(c.stage);
  count(slot(by_stage, stage), r);
  keep(examples, (key = "reason/").append(reason), r);
  keep(examples, (key = "provider/").append(provider), r);
  keep(examples, (key = "stage/").append(stage), r);

  if (c.reason == Reason::auth_failure) {
    const std::string_view mech = c.detail.empty() ? std::string_view("unauthenticated") : c.detail;
    key.assign(provider)
        .append("\t")
        .append(domain_view(r.sender, kSenderNotInLog, buf))
        .append("\t")
        .append(mech);
    ++slot(auth_failures, key);
    keep(examples, (key = "auth/").append(mech), r);
  }
  if (c.reason == Reason::blocklisted) {
    const std::string_view list = c.detail.empty() ? std::string_view("unnamed list") : c.detail;
    std::string subject = report::first_ipv4(r.reply_text.empty() ? r.diagnostic : r.reply_text);
    if (subject.empty()) subject = "(not named)";
    touch(slot(blocklistings, key.assign(list).append("\t").append(subject)), t);
    keep(examples, (key = "blocklist/").append(list), r);
  }
  if (c.reason == Reason::rate_limited || c.reason == Reason::bad_reputation) {
    key.assign(provider).append("\t").append(reason).append("\t").append(c.detail);
    touch(slot(provider_pushback, key), t);
    keep(examples, (key = "pushback/").append(provider), r);
  }
  if (c.suppress_recipient && r.outcome == Outcome::bounced && t != 0) {
    auto [it, inserted] = dead_addresses.try_emplace(std::string(lower_into(r.recipient, buf)));
    if (inserted || t < it->second.first_hard_us) it->second.first_hard_us = t;
  }
}

double Aggregate::delay_percentile(double q) const {
  std::uint64_t n = 0;
  for (auto c : delay_histogram) n += c;
  if (n == 0) return -1;
  const auto target = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(n)));
  std::uint64_t seen = 0;
  for (std::size_t k = 0; k < delay_histogram.size(); ++k) {
    seen += delay_histogram[k];
    if (seen >= std::max<std::uint64_t>(target, 1))
      return 0.01 * std::exp2(static_cast<double>(k) / 4);
  }
  return 0.01 * std::exp2(static_cast<double>(kDelayBuckets - 1) / 4);
}

void Aggregate::merge(const Aggregate& o) {
  for (std::size_t k = 0; k < kDelayBuckets; ++k) delay_histogram[k] += o.delay_histogram[k];
  total.add(o.total);
  notifications.add(o.notifications);
  inbound.add(o.inbound);
  using Slices = Map<OutcomeCounts>;
  const std::pair<Slices*, const Slices*> slices[] = {
      {&by_provider, &o.by_provider},
      {&by_recipient_domain, &o.by_recipient_domain},
      {&by_sender_domain, &o.by_sender_domain},
      {&by_sending_ip, &o.by_sending_ip},
      {&by_stage, &o.by_stage}};
  for (const auto& [mine, theirs] : slices)
    for (const auto& [k, v] : *theirs) (*mine)[k].add(v);
  for (const auto& [k, v] : o.by_reason) by_reason[k] += v;
  for (const auto& [k, v] : o.by_inbound_reason) by_inbound_reason[k] += v;
  for (const auto& [p, m] : o.by_provider_reason)
    for (const auto& [k, v] : m) by_provider_reason[p][k] += v;
  for (const auto& [k, v] : o.by_hour) by_hour[k].add(v);
  for (const auto& [p, hours] : o.by_provider_hour)
    for (const auto& [h, v] : hours) by_provider_hour[p][h].add(v);
  for (const auto& [k, v] : o.auth_failures) auth_failures[k] += v;
  for (const auto& [k, v] : o.blocklistings) merge_seen(blocklistings[k], v);
  for (const auto& [k, v] : o.provider_pushback) merge_seen(provider_pushback[k], v);
  // Dead addresses: a later hard bounce in one part and an earlier attempt in
  // another cannot be joined exactly without the attempts; keep the earliest
  // bounce and the counts each part saw after its own bounce.
  for (const auto& [k, v] : o.dead_addresses) {
    auto [it, inserted] = dead_addresses.try_emplace(k, v);
    if (inserted) continue;
    DeadAddress& d = it->second;
    d.first_hard_us = std::min(d.first_hard_us, v.first_hard_us);
    d.last_attempt_us = std::max(d.last_attempt_us, v.last_attempt_us);
    d.attempts_after += v.attempts_after;
  }
  if (o.first_us != 0 && (first_us == 0 || o.first_us < first_us)) first_us = o.first_us;
  last_us = std::max(last_us, o.last_us);
  for (const auto& [k, list] : o.examples)
    for (const Example& e : list) keep_example(examples[k], e);
}

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::critical:
      return "critical";
  }
  return "info";
}

}  // namespace bounce
