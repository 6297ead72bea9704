// diagnose: findings from an Aggregate, in the triage order of the seed
// article: where the path fails, temporary or permanent, which providers,
// authentication, reputation and blocklists, sending behaviour, list hygiene,
// complaints. No finding without evidence.

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

#include "bounce/report.hpp"
#include "report_util.hpp"

namespace bounce {
namespace {

using report::percent;

// Triage sections, in order.
const std::array<const char*, 9> kSections = {"path",           "permanence", "providers",
                                              "authentication", "reputation", "behaviour",
                                              "hygiene",        "complaints", "inbound"};

double ratio(std::uint64_t a, std::uint64_t b) {
  return b ? static_cast<double>(a) / static_cast<double>(b) : 0;
}

std::uint64_t failures(const OutcomeCounts& c) { return c.deferred + c.bounced + c.expired; }

std::vector<std::string> split_tabs(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = s.find('\t', start);
    out.push_back(s.substr(start, tab - start));
    if (tab == std::string::npos) return out;
    start = tab + 1;
  }
}

// Keys of a counter map sorted by count, largest first.
template <class Map, class Count>
std::vector<std::pair<std::string, std::uint64_t>> ranked(const Map& m, Count count) {
  std::vector<std::pair<std::string, std::uint64_t>> v;
  for (const auto& [k, x] : m) v.emplace_back(k, count(x));
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

std::string top_list(const std::vector<std::pair<std::string, std::uint64_t>>& v, std::size_t n,
                     std::uint64_t of = 0) {
  std::ostringstream out;
  for (std::size_t i = 0; i < v.size() && i < n; ++i) {
    if (v[i].second == 0) break;
    if (i) out << ", ";
    out << v[i].first << " (" << v[i].second;
    if (of) out << ", " << percent(ratio(v[i].second, of));
    out << ')';
  }
  return out.str();
}

// Edit distance up to 2, with adjacent transpositions (gmial.com -> gmail.com).
int near_distance(std::string_view a, std::string_view b) {
  if (a.size() > b.size() + 2 || b.size() > a.size() + 2) return 3;
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// Popular mailbox domains whose near-misses are typos.
const std::array<std::string_view, 16> kPopularDomains = {
    "gmail.com", "yahoo.com", "hotmail.com", "outlook.com",   "icloud.com", "aol.com",
    "live.com",  "msn.com",   "comcast.net", "me.com",        "mail.ru",    "yandex.ru",
    "gmx.de",    "web.de",    "orange.fr",   "googlemail.com"};

class Diagnosis {
 public:
  Diagnosis(const Aggregate& a, const ReportOptions& o) : a_(a), o_(o) {}

  std::vector<Finding> run() {
    path();
    permanence();
    providers();
    authentication();
    reputation();
    behaviour();
    hygiene();
    complaints();
    inbound();
    // Triage order, most severe first within a section (stable otherwise).
    std::stable_sort(out_.begin(), out_.end(), [](const Finding& x, const Finding& y) {
      const auto sx = std::find(kSections.begin(), kSections.end(), x.section);
      const auto sy = std::find(kSections.begin(), kSections.end(), y.section);
      if (sx != sy) return sx < sy;
      return x.severity > y.severity;
    });
    return std::move(out_);
  }

 private:
  Finding& add(std::string id, const char* section, Severity sev, std::string title, Action action,
               std::string recommendation) {
    Finding f;
    f.id = std::move(id);
    f.section = section;
    f.severity = sev;
    f.title = std::move(title);
    f.action = action;
    f.recommendation = std::move(recommendation);
    out_.push_back(std::move(f));
    return out_.back();
  }

  void examples(Finding& f, const std::string& key) {
    if (const auto it = a_.examples.find(key); it != a_.examples.end())
      for (const Example& e : it->second)
        if (f.examples.size() < Aggregate::kExamples) f.examples.push_back(e);
  }

  std::string dominant_reason(const std::string& provider_prefix = {}) const {
    (void)provider_prefix;
    const auto r = ranked(a_.by_reason, [](std::uint64_t n) { return n; });
    return r.empty() ? std::string("unknown") : r.front().first;
  }

  // 1. Where the path fails: universal (our side) or isolated (one provider);
  //    before, during or after the SMTP transaction.
  void path() {
    const OutcomeCounts& t = a_.total;
    if (t.attempts < o_.min_attempts) return;
    const double rate = t.failure_rate();
    std::size_t judged = 0, failing = 0;
    for (const auto& [p, c] : a_.by_provider) {
      if (c.attempts < o_.min_attempts) continue;
      ++judged;
      if (c.failure_rate() >= 0.2) ++failing;
    }
    if (judged >= 2 && rate >= 0.2 && failing * 10 >= judged * 7) {
      Finding& f = add("path.universal", "path", Severity::critical,
                       "Mail fails everywhere (" + percent(rate) +
                           " of attempts): the problem is on our side, not one provider's",
                       Action::fix_client_configuration,
                       "Check our own path first: DNS, outbound connectivity (port 25), TLS, "
                       "client credentials and the sending configuration, before content or "
                       "reputation.");
      f.detail = std::to_string(failing) + " of " + std::to_string(judged) +
                 " providers with enough traffic fail at 20% or more. Dominant reason: " +
                 dominant_reason() + ".";
      f.evidence = {{"failure_rate", rate},
                    {"providers_failing", double(failing)},
                    {"providers_judged", double(judged)}};
      examples(f, "reason/" + dominant_reason());
    }
    // Stage groups.
    struct Group {
      const char* name;
      std::vector<std::string> stages;
      const char* why;
    };
    const Group groups[] = {
        {"before the message was sent (connection, TLS, our credentials)",
         {"connection", "tls", "client_auth"},
         "the receiver was never reached or refused our session: connectivity, DNS, TLS or "
         "credentials"},
        {"during the SMTP transaction (MAIL FROM, RCPT TO, DATA)",
         {"mail_from", "rcpt_to", "data", "after_data"},
         "the receiver made a decision about the sender, the recipient or the content"},
        {"after acceptance (asynchronous bounces)",
         {"after_acceptance"},
         "the receiver accepted, then bounced: filtering or mailbox problems downstream"}};
    std::uint64_t all = 0;
    for (const auto& [s, c] : a_.by_stage) all += failures(c);
    if (all < 10 || rate < 0.05) return;  // a few failures everywhere are normal
    const Group* best = nullptr;
    std::uint64_t best_n = 0;
    for (const Group& g : groups) {
      std::uint64_t n = 0;
      for (const auto& s : g.stages)
        if (const auto it = a_.by_stage.find(s); it != a_.by_stage.end()) n += failures(it->second);
      if (n > best_n) best = &g, best_n = n;
    }
    if (!best || ratio(best_n, all) < 0.5) return;
    Finding& f = add("path.stage", "path", rate >= 0.2 ? Severity::critical : Severity::warning,
                     "Most failures (" + percent(ratio(best_n, all)) + ") happen " + best->name,
                     best == &groups[0] ? Action::fix_client_configuration : Action::investigate,
                     std::string("That points to ") + best->why + ".");
    f.evidence = {{"failures_in_stage_group", double(best_n)}, {"failures", double(all)}};
    std::vector<std::pair<std::string, std::uint64_t>> stages;  // the busiest stage first
    for (const auto& s : best->stages)
      if (const auto it = a_.by_stage.find(s); it != a_.by_stage.end())
        stages.emplace_back(s, failures(it->second));
    std::stable_sort(stages.begin(), stages.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    for (const auto& [s, n] : stages) examples(f, "stage/" + s);
  }

  // 2. Temporary or permanent.
  void permanence() {
    const OutcomeCounts& t = a_.total;
    if (t.attempts < o_.min_attempts || t.deferred == 0) return;
    const double rate = t.deferral_rate();
    if (rate < 0.05) return;
    Finding& f = add("permanence.deferrals", "permanence",
                     rate >= 0.2 ? Severity::critical : Severity::warning,
                     percent(rate) + " of delivery attempts were deferred (temporary failures)",
                     Action::retry_with_backoff,
                     "Deferrals are retried by the MTA, but a high rate delays mail and often "
                     "precedes rejection: find the dominant reason below and slow down where a "
                     "provider pushes back.");
    f.evidence = {{"deferral_rate", rate},
                  {"deferred", double(t.deferred)},
                  {"hard_failures", double(t.hard)},
                  {"soft_failures", double(t.soft)}};
  }

  // 3. Providers: failures concentrated at one provider.
  void providers() {
    const OutcomeCounts& t = a_.total;
    if (t.attempts < o_.min_attempts) return;
    for (const auto& [p, c] : a_.by_provider) {
      if (c.attempts < o_.min_attempts || failures(c) < 10) continue;
      OutcomeCounts rest = t;
      rest.attempts -= c.attempts;
      rest.deferred -= c.deferred;
      rest.bounced -= c.bounced;
      rest.expired -= c.expired;
      const double mine = c.failure_rate(), others = rest.failure_rate();
      if (mine < 0.1 || mine < 3 * others) continue;
      Finding& f =
          add("providers." + p, "providers", mine >= 0.3 ? Severity::critical : Severity::warning,
              "Failures concentrate at " + p + ": " + percent(mine) + " of its attempts vs " +
                  percent(others) + " elsewhere",
              Action::investigate,
              "One provider failing while others accept points to that provider's "
              "filtering or our reputation with it; read its replies (examples) and act "
              "on the reason it gives.");
      f.detail = "Deferred " + std::to_string(c.deferred) + ", bounced " +
                 std::to_string(c.bounced) + ", expired " + std::to_string(c.expired) + " of " +
                 std::to_string(c.attempts) + " attempts.";
      f.evidence = {{"failure_rate", mine},
                    {"elsewhere_failure_rate", others},
                    {"attempts", double(c.attempts)}};
      examples(f, "provider/" + p);
    }
  }

  // 4. Authentication: SPF, DKIM, DMARC, unauthenticated.
  void authentication() {
    Aggregate::Map<std::uint64_t> by_mech;
    Aggregate::Map<Aggregate::Map<std::uint64_t>> providers, senders;
    for (const auto& [key, n] : a_.auth_failures) {
      const auto parts = split_tabs(key);
      by_mech[parts[2]] += n;
      providers[parts[2]][parts[0]] += n;
      senders[parts[2]][parts[1]] += n;
    }
    for (const auto& [mech, n] : by_mech) {
      const double rate = ratio(n, a_.total.attempts);
      Finding& f = add(
          "auth." + mech, "authentication", rate >= 0.01 ? Severity::critical : Severity::warning,
          std::to_string(n) + " rejections for failed authentication (" + mech + ")",
          Action::fix_authentication,
          mech == "dmarc"  ? "Align SPF or DKIM with the From domain and check the DMARC record of "
                             "the sender domains named; every sending platform must sign."
          : mech == "spf"  ? "Add every sending IP/service to the SPF record of the envelope "
                             "sender domain, and keep it under 10 DNS lookups."
          : mech == "dkim" ? "Sign with DKIM on the stream that fails, and check the selector's "
                             "public key in DNS."
                           : "Authenticate the mail: SPF and DKIM pass, DMARC aligned, as the "
                             "large providers require of bulk senders.");
      f.detail =
          "Providers: " + top_list(ranked(providers[mech], [](auto x) { return x; }), 5) +
          ". Sender domains: " + top_list(ranked(senders[mech], [](auto x) { return x; }), 5) + ".";
      f.evidence = {{"rejections", double(n)}, {"share_of_attempts", rate}};
      examples(f, "auth/" + mech);
    }
  }

  // 5. Reputation: blocklists, reputation blocks.
  void reputation() {
    std::map<std::string, std::vector<std::pair<std::string, Aggregate::Seen>>> lists;
    for (const auto& [key, seen] : a_.blocklistings) {
      const auto parts = split_tabs(key);
      lists[parts[0]].emplace_back(parts[1], seen);
    }
    for (const auto& [list, subjects] : lists) {
      std::uint64_t n = 0;
      std::int64_t first = 0, last = 0;
      std::ostringstream who;
      for (std::size_t i = 0; i < subjects.size(); ++i) {
        const auto& [subject, seen] = subjects[i];
        n += seen.count;
        if (seen.first_us && (!first || seen.first_us < first)) first = seen.first_us;
        last = std::max(last, seen.last_us);
        if (i < 5) who << (i ? ", " : "") << subject << " (" << seen.count << ")";
      }
      Finding& f = add("blocklist." + list, "reputation", Severity::critical,
                       "Listed on " + list + ": " + std::to_string(n) + " rejections",
                       Action::request_delisting,
                       "Look the listed IPs/domains up at " + list +
                           ", fix the cause (compromised account, bad list, open relay), then "
                           "request removal. Do not suppress the recipients: their addresses are "
                           "fine.");
      f.detail = "Listed: " + who.str() + ". First seen " + report::iso_time(first) +
                 ", last seen " + report::iso_time(last) + ".";
      f.evidence = {{"rejections", double(n)}, {"listed_subjects", double(subjects.size())}};
      examples(f, "blocklist/" + list);
    }
    if (const auto it = a_.by_reason.find("bad_reputation");
        it != a_.by_reason.end() && it->second >= 5) {
      Finding& f = add("reputation.bad", "reputation", Severity::warning,
                       std::to_string(it->second) + " failures cite poor sender reputation",
                       Action::reduce_volume,
                       "Reduce volume to the providers named, send only to engaged recipients, "
                       "and check their postmaster tools (Gmail Postmaster, Microsoft SNDS).");
      f.evidence = {{"failures", double(it->second)}};
      examples(f, "reason/bad_reputation");
    }
  }

  // 6. Sending behaviour: throttling over time, volume spikes.
  void behaviour() {
    std::map<std::string, std::uint64_t> per_provider;
    for (const auto& [key, seen] : a_.provider_pushback) {
      const auto parts = split_tabs(key);
      if (parts[1] == "rate_limited") per_provider[parts[0]] += seen.count;
    }
    for (const auto& [provider, n] : per_provider) {
      if (n < 5) continue;
      // The worst hour for this provider's deferral rate.
      double worst = 0;
      std::int64_t worst_hour = 0;
      if (const auto it = a_.by_provider_hour.find(provider); it != a_.by_provider_hour.end())
        for (const auto& [h, c] : it->second)
          if (c.attempts >= 5 && c.deferral_rate() > worst)
            worst = c.deferral_rate(), worst_hour = h;
      Finding& f = add(
          "throttling." + provider, "behaviour",
          worst >= 0.3 ? Severity::critical : Severity::warning,
          provider + " is throttling us: " + std::to_string(n) + " rate-limit deferrals or blocks",
          Action::reduce_volume,
          "Slow down to " + provider +
              " (fewer connections and messages per connection), spread the volume, "
              "and check complaint rates; the provider's reply names the scope (IP, "
              "domain).");
      f.detail = "Worst hour: " + report::iso_time(worst_hour * 3600000000LL) + " with " +
                 percent(worst) + " of attempts deferred.";
      f.evidence = {{"rate_limit_failures", double(n)}, {"worst_hourly_deferral_rate", worst}};
      examples(f, "pushback/" + provider);
    }
    // Volume spikes: an hour at spike_factor x the median of the 24 hours before.
    std::vector<std::pair<std::int64_t, OutcomeCounts>> hours(a_.by_hour.begin(), a_.by_hour.end());
    for (std::size_t i = 6; i < hours.size(); ++i) {
      std::vector<std::uint64_t> window;
      for (std::size_t j = i >= 24 ? i - 24 : 0; j < i; ++j)
        window.push_back(hours[j].second.attempts);
      std::nth_element(window.begin(), window.begin() + window.size() / 2, window.end());
      const double median = static_cast<double>(window[window.size() / 2]);
      const OutcomeCounts& c = hours[i].second;
      if (c.attempts < o_.min_attempts || median <= 0 || c.attempts < o_.spike_factor * median)
        continue;
      // What followed: the failure rate in this and the next 3 hours vs before.
      OutcomeCounts after, before;
      for (std::size_t j = i; j < hours.size() && j <= i + 3; ++j) after.add(hours[j].second);
      for (std::size_t j = i >= 24 ? i - 24 : 0; j < i; ++j) before.add(hours[j].second);
      const bool followed =
          after.failure_rate() >= 2 * before.failure_rate() && after.failure_rate() >= 0.05;
      Finding& f =
          add("behaviour.spike", "behaviour", followed ? Severity::critical : Severity::warning,
              "Volume spike at " + report::iso_time(hours[i].first * 3600000000LL) + ": " +
                  std::to_string(c.attempts) + " attempts, " +
                  std::to_string(static_cast<long long>(c.attempts / median)) +
                  "x the trailing median" + (followed ? ", followed by deferrals/rejections" : ""),
              Action::reduce_volume,
              "Ramp volume gradually (warm-up) instead of sending in bursts; providers "
              "defer and block sudden volume from a sender with little history.");
      f.evidence = {{"attempts", double(c.attempts)},
                    {"trailing_median", median},
                    {"before_failure_rate", before.failure_rate()},
                    {"after_failure_rate", after.failure_rate()}};
      break;  // the first spike; later ones repeat the lesson
    }
  }

  // 7. List hygiene: hard bounces, unknown users by domain, typo domains, re-sends.
  void hygiene() {
    const OutcomeCounts& t = a_.total;
    std::uint64_t address = 0;
    for (const char* r : {"user_unknown", "domain_not_found", "mailbox_disabled", "invalid_address",
                          "address_moved"})
      if (const auto it = a_.by_reason.find(r); it != a_.by_reason.end()) address += it->second;
    const double rate = ratio(address, t.final_outcomes());
    if (t.final_outcomes() >= o_.min_attempts && rate > o_.hard_bounce_threshold) {
      std::map<std::string, std::uint64_t> domains;
      for (const auto& [d, c] : a_.by_recipient_domain) domains[d] = c.hard;
      Finding& f =
          add("hygiene.hard_bounces", "hygiene",
              rate > 2.5 * o_.hard_bounce_threshold ? Severity::critical : Severity::warning,
              "Hard-bounce rate " + percent(rate) + " is above " +
                  percent(o_.hard_bounce_threshold) + ": the list holds invalid addresses",
              Action::suppress_recipient,
              "Suppress every hard-bounced address now, validate addresses at capture, "
              "and clean or retire old lists before sending to them.");
      f.detail = "Domains with the most hard failures: " +
                 top_list(ranked(domains, [](auto x) { return x; }), 5) + ".";
      f.evidence = {{"address_bounces", double(address)}, {"hard_bounce_rate", rate}};
      examples(f, "reason/user_unknown");
    }
    // Typo domains.
    std::vector<std::pair<std::string, std::uint64_t>> typos;
    std::string suggestion;
    for (const auto& [d, c] : a_.by_recipient_domain) {
      if (std::find(kPopularDomains.begin(), kPopularDomains.end(), d) != kPopularDomains.end())
        continue;
      for (std::string_view good : kPopularDomains)
        if (near_distance(d, good) <= (good.size() > 8 ? 2 : 1)) {
          typos.emplace_back(d + " -> " + std::string(good), c.attempts);
          break;
        }
    }
    if (!typos.empty()) {
      std::uint64_t n = 0;
      for (const auto& [d, c] : typos) n += c;
      Finding& f = add("hygiene.typo_domains", "hygiene", Severity::warning,
                       std::to_string(n) + " attempts to misspelt domains (" +
                           std::to_string(typos.size()) + " domains)",
                       Action::fix_recipient_address,
                       "Correct the addresses (or ask the recipients), and add a typo check to "
                       "sign-up forms.");
      f.detail = "Likely typos: " + top_list(typos, 8) + ".";
      f.evidence = {{"attempts", double(n)}, {"domains", double(typos.size())}};
    }
    // Re-sends to dead addresses.
    std::uint64_t resent = 0, attempts_after = 0;
    for (const auto& [r, d] : a_.dead_addresses)
      if (d.attempts_after) ++resent, attempts_after += d.attempts_after;
    if (resent) {
      Finding& f =
          add("hygiene.resent_dead", "hygiene", Severity::warning,
              std::to_string(resent) + " hard-bounced addresses were mailed again later (" +
                  std::to_string(attempts_after) + " attempts)",
              Action::suppress_recipient,
              "Feed hard bounces back into the suppression list of every sending system: "
              "repeated mail to dead addresses is a strong negative reputation signal.");
      f.evidence = {{"addresses", double(resent)},
                    {"attempts_after_bounce", double(attempts_after)}};
      examples(f, "dead_address");
    }
    // Mailbox full / inactive concentration.
    for (const char* reason : {"mailbox_full", "mailbox_disabled"}) {
      const auto it = a_.by_reason.find(reason);
      if (it == a_.by_reason.end() || t.attempts < o_.min_attempts) continue;
      const double share = ratio(it->second, t.attempts);
      if (share < 0.01) continue;
      Finding& f =
          add(std::string("hygiene.") + reason, "hygiene", Severity::info,
              std::to_string(it->second) +
                  (std::string(reason) == "mailbox_full" ? " attempts to full mailboxes"
                                                         : " attempts to disabled mailboxes") +
                  " (" + percent(share) + ")",
              std::string(reason) == "mailbox_full" ? Action::retry : Action::suppress_recipient,
              std::string(reason) == "mailbox_full"
                  ? "Full mailboxes are usually abandoned ones: retry, but suppress "
                    "addresses that stay full for weeks."
                  : "Disabled mailboxes will not come back: suppress them.");
      f.evidence = {{"attempts", double(it->second)}, {"share", share}};
      examples(f, std::string("reason/") + reason);
    }
    // Transport security and reverse DNS.
    for (const auto& [reason, action, text] :
         {std::tuple{"security_error", Action::fix_client_configuration,
                     "TLS problems: enable STARTTLS with a valid certificate, and support the "
                     "TLS versions receivers require."},
          std::tuple{"reverse_dns", Action::fix_dns,
                     "Reverse DNS problems: give every sending IP a PTR record whose name "
                     "resolves back to the IP (forward-confirmed)."}}) {
      const auto it = a_.by_reason.find(reason);
      if (it == a_.by_reason.end() || it->second < 3) continue;
      Finding& f = add(std::string("path.") + reason, "path", Severity::warning,
                       std::to_string(it->second) + " failures: " + text, action, text);
      f.evidence = {{"failures", double(it->second)}};
      examples(f, std::string("reason/") + reason);
    }
    // Streams: one sender domain dominating the failures.
    if (a_.by_sender_domain.size() >= 2) {
      std::uint64_t all = failures(a_.total);
      for (const auto& [stream, c] : a_.by_sender_domain) {
        if (all < 20 || c.attempts < o_.min_attempts) continue;
        const double share_fail = ratio(failures(c), all),
                     share_volume = ratio(c.attempts, a_.total.attempts);
        if (share_fail < 0.7 || share_volume > 0.5) continue;
        Finding& f = add("hygiene.stream." + stream, "hygiene", Severity::warning,
                         "The " + stream + " stream causes " + percent(share_fail) +
                             " of failures with " + percent(share_volume) + " of the volume",
                         Action::investigate,
                         "Separate this stream (its own domain/IP) from transactional mail so "
                         "that its reputation cannot damage the others, and fix its list or "
                         "authentication.");
        f.evidence = {{"share_of_failures", share_fail}, {"share_of_volume", share_volume}};
      }
    }
  }

  // 8. Complaints (provider events).
  void complaints() {
    const std::uint64_t n = a_.total.complaint;
    if (!n) return;
    const double rate = ratio(n, a_.total.delivered);
    if (rate < o_.complaint_threshold) return;
    Finding& f =
        add("complaints.rate", "complaints",
            rate >= o_.complaint_critical ? Severity::critical : Severity::warning,
            "Complaint rate " + percent(rate) + " is above " + percent(o_.complaint_threshold) +
                (rate >= o_.complaint_critical ? " (and above the 0.3% block threshold)" : ""),
            Action::suppress_recipient,
            "Suppress complainers, send only to recipients who opted in, make "
            "unsubscribing one click, and review the frequency and content of the stream.");
    f.evidence = {{"complaints", double(n)}, {"complaint_rate", rate}};
    examples(f, "complaint");
  }

  // 9. Inbound rejections at our own server.
  void inbound() {
    if (a_.inbound.attempts == 0) return;
    const auto r = ranked(a_.by_inbound_reason, [](auto x) { return x; });
    Finding& f = add("inbound.rejections", "inbound", Severity::info,
                     std::to_string(a_.inbound.attempts) + " messages rejected by our own server",
                     Action::none,
                     "These are our server refusing incoming mail (blocklisted clients, unknown "
                     "users, spam); review them only if legitimate senders are among them.");
    f.detail = "By reason: " + top_list(r, 5, a_.inbound.attempts) + ".";
    f.evidence = {{"rejections", double(a_.inbound.attempts)}};
    if (!r.empty()) examples(f, "inbound/" + r.front().first);
  }

  const Aggregate& a_;
  const ReportOptions& o_;
  std::vector<Finding> out_;
};

}  // namespace

Report diagnose(const Aggregate& aggregate, const ReportOptions& options) {
  Report report;
  report.data = aggregate;
  report.findings = Diagnosis(aggregate, options).run();
  return report;
}

}  // namespace bounce
