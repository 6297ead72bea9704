// The diagnosis on generated scenarios with known problems: each must produce
// exactly its expected findings, a clean log none. Plus the aggregate's
// merge property and the three renderings.

#include "bounce/report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "bounce/reader.hpp"
#include "log_generator.hpp"

namespace bounce {
namespace {

using corpus::LogGenerator;
using corpus::Scenarios;

std::string Generate(const Scenarios& s, std::uint64_t seed = 3) {
  LogGenerator::Options o;
  o.seed = seed;
  o.messages = 3000;
  o.messages_per_hour = 125;  // a day of mail: the spike hour falls inside it
  o.scenarios = s;
  std::string log;
  LogGenerator(o).run([&](std::string_view chunk) { log += chunk; });
  return log;
}

Aggregate AggregateOf(const std::string& log) {
  ReaderOptions ro;
  ro.year = 2025;
  Aggregate agg;
  Reader(ro).read(std::vector<InputSource>{InputSource::memory("generated.log", log)},
                  [&](const Record& r) { agg.add(r); });
  return agg;
}

std::set<std::string> FindingIds(const Report& r) {
  std::set<std::string> ids;
  for (const Finding& f : r.findings) ids.insert(f.id);
  return ids;
}

struct ScenarioCase {
  const char* name;
  Scenarios scenarios;
  std::set<std::string> expected;
};

class ReportScenario : public testing::TestWithParam<ScenarioCase> {};

TEST_P(ReportScenario, ProducesExactlyTheExpectedFindings) {
  const ScenarioCase& c = GetParam();
  const Report report = diagnose(AggregateOf(Generate(c.scenarios)));
  EXPECT_EQ(FindingIds(report), c.expected) << render_text(report);
  for (const Finding& f : report.findings) {
    EXPECT_FALSE(f.evidence.empty()) << f.id << ": no finding without evidence";
    EXPECT_FALSE(f.recommendation.empty()) << f.id;
    if (f.id != "behaviour.spike" && f.id != "permanence.deferrals" && f.id != "path.stage") {
      EXPECT_FALSE(f.examples.empty()) << f.id << ": examples point back to the log";
    }
    for (const Example& e : f.examples) {
      EXPECT_EQ(e.file, "generated.log");
      EXPECT_GT(e.line, 0u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Generated, ReportScenario,
    testing::Values(ScenarioCase{"Clean", {}, {}},
                    ScenarioCase{"DmarcAtGoogle",
                                 {.dmarc_google = true},
                                 {"auth.dmarc", "providers.google", "path.stage"}},
                    ScenarioCase{"SpamhausListing",
                                 {.spamhaus = true},
                                 {"blocklist.spamhaus", "providers.other", "path.stage"}},
                    ScenarioCase{"YahooThrottlingAfterSpike",
                                 {.yahoo_spike = true},
                                 {"behaviour.spike", "throttling.yahoo", "providers.yahoo",
                                  "permanence.deferrals", "path.stage"}},
                    ScenarioCase{
                        "StaleList", {.stale_list = true}, {"hygiene.hard_bounces", "path.stage"}}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(Report, FindingsComeInTriageOrderAndNameTheEvidence) {
  const Report r = diagnose(AggregateOf(
      Generate({.dmarc_google = true, .spamhaus = true, .yahoo_spike = true, .stale_list = true})));
  const std::vector<std::string> order = {"path",           "permanence", "providers",
                                          "authentication", "reputation", "behaviour",
                                          "hygiene",        "complaints", "inbound"};
  std::size_t last = 0;
  for (const Finding& f : r.findings) {
    const auto at =
        static_cast<std::size_t>(std::find(order.begin(), order.end(), f.section) - order.begin());
    EXPECT_LT(at, order.size()) << f.section;
    EXPECT_GE(at, last) << f.id << " out of triage order";
    last = at;
  }
  const auto it = std::find_if(r.findings.begin(), r.findings.end(),
                               [](const Finding& f) { return f.id == "blocklist.spamhaus"; });
  ASSERT_NE(it, r.findings.end());
  EXPECT_NE(it->detail.find("192.0.2.10"), std::string::npos) << it->detail;
  EXPECT_EQ(it->action, Action::request_delisting);
}

TEST(Report, MergedHalvesEqualTheWhole) {
  const std::string log = Generate({.dmarc_google = true, .stale_list = true});
  // Split at a line boundary in the middle; the halves are separate logs. A
  // message cut in two loses its sender in the second half, so per-sender
  // keys may differ; every count must not.
  const std::size_t cut = log.find('\n', log.size() / 2) + 1;
  Aggregate whole = AggregateOf(log);
  Aggregate merged = AggregateOf(log.substr(0, cut));
  merged.merge(AggregateOf(log.substr(cut)));
  EXPECT_EQ(merged.total.attempts, whole.total.attempts);
  EXPECT_EQ(merged.by_reason, whole.by_reason);
  const auto total = [](const auto& map) {
    std::uint64_t n = 0;
    for (const auto& [key, count] : map) n += count;
    return n;
  };
  EXPECT_EQ(total(merged.auth_failures), total(whole.auth_failures));
  EXPECT_EQ(merged.by_hour.size(), whole.by_hour.size());
  EXPECT_EQ(FindingIds(diagnose(merged)), FindingIds(diagnose(whole)));
}

TEST(Report, CleanLogSaysItIsClean) {
  const Report r = diagnose(AggregateOf(Generate({})));
  EXPECT_TRUE(r.clean());
  EXPECT_NE(render_text(r).find("No problems found."), std::string::npos);
  EXPECT_NE(render_json(r).find("\"clean\":true"), std::string::npos);
  EXPECT_NE(render_html(r).find("No problems found"), std::string::npos);
}

TEST(Report, RenderingsCarryTheFindings) {
  const Report r = diagnose(AggregateOf(Generate({.spamhaus = true})));
  const std::string json = render_json(r);
  EXPECT_EQ(json.rfind("{\"schema_version\":1,", 0), 0u);
  EXPECT_NE(json.find("\"id\":\"blocklist.spamhaus\""), std::string::npos);
  const std::string html = render_html(r);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "self-contained, no scripts";
  for (const char* load : {"src=", "href=", "<link", "@import", "url("})
    EXPECT_EQ(html.find(load), std::string::npos) << "loads nothing from the network: " << load;
  EXPECT_NE(render_text(r, true).find("\x1b[31m[critical]"), std::string::npos);
  EXPECT_EQ(render_text(r, false).find('\x1b'), std::string::npos);
}

// Records built by callers (a DataFrame's delay column) may hold any double:
// only finite, non-negative delays are counted, and none is out of range.
TEST(Report, DelaysThatAreNoDelayAreNotCounted) {
  Aggregate agg;
  Record r;
  r.outcome = Outcome::delivered;
  for (const double d : {std::numeric_limits<double>::infinity(),
                         std::numeric_limits<double>::quiet_NaN(), -1.0, 1e300, 0.5}) {
    r.delay_s = d;
    agg.add(r);
  }
  std::uint64_t counted = 0;
  for (const auto n : agg.delay_histogram) counted += n;
  EXPECT_EQ(counted, 2u);  // 1e300 (last bucket) and 0.5
  EXPECT_EQ(agg.delay_percentile(1.0), 0.01 * std::exp2(127.0 / 4));
  EXPECT_LE(agg.delay_percentile(0.5), 0.6);
}

TEST(Report, EmptyAggregateNeverFails) {
  const Report r = diagnose(Aggregate{});
  EXPECT_TRUE(r.clean());
  EXPECT_FALSE(render_html(r).empty());
}

}  // namespace
}  // namespace bounce

namespace bounce {
namespace {

// An empty sender is the null sender only on notifications (which are counted
// apart); a delivery whose message began before the log did has a sender that
// is simply not known, not "(null sender)".
TEST(Report, UnknownSendersAreNotTheNullSender) {
  const std::string log =
      "Jan  6 08:39:50 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, relay=none, "
      "delay=1, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection timed out)\n"
      "Jan  6 08:40:00 mail postfix/qmgr[3]: 2B3C4D5E6F: from=<>, size=2000, nrcpt=1 (queue "
      "active)\n"
      "Jan  6 08:40:01 mail postfix/smtp[2]: 2B3C4D5E6F: to=<c@example.org>, relay=none, "
      "delay=1, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection timed out)\n";
  const Aggregate agg = AggregateOf(log);
  EXPECT_EQ(agg.by_sender_domain.count("(sender not in log)"), 1u);
  EXPECT_EQ(agg.by_sender_domain.count("(null sender)"), 0u);  // notifications: counted apart
  EXPECT_EQ(agg.notifications.attempts, 1u);
}

}  // namespace
}  // namespace bounce
