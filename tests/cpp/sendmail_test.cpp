// Sendmail: the line parser on the documented shapes, the correlator's hops,
// links and expiry, and the golden records and line accounting of
// corpus/samples/sendmail (checked against its README).

#include <gtest/gtest.h>

#include <map>

#include "bounce/reader.hpp"
#include "correlate/sendmail_correlator.hpp"
#include "formats/sendmail_parser.hpp"
#include "log_generator.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using formats::LineClass;
using formats::parse_sendmail_line;
using formats::SendmailEvent;
using formats::SendmailEventKind;
using testing_util::ExpectSameLines;
using testing_util::Lines;
using testing_util::ReadAll;
using testing_util::ReadSourceFile;

TEST(SendmailParser, StatRunsToTheEndOfTheLine) {
  SendmailEvent e;
  ASSERT_EQ(parse_sendmail_line(
                "Jan 25 12:20:42 mx3 sm-mta[30442]: 40PCKedQ030440: to=<mary_q@yahoo.com>, "
                "delay=00:00:02, xdelay=00:00:02, mailer=esmtp, pri=211207, "
                "relay=mta6.am0.yahoodns.net. [198.51.100.44], dsn=4.7.0, stat=Deferred: 421 "
                "4.7.0 [TSS04] Messages deferred due to volume, or complaints; see https://x",
                e),
            LineClass::parsed);
  EXPECT_EQ(e.kind, SendmailEventKind::to);
  EXPECT_EQ(e.qid, "40PCKedQ030440");
  EXPECT_EQ(e.to, "<mary_q@yahoo.com>");
  EXPECT_EQ(e.relay_host, "mta6.am0.yahoodns.net");
  EXPECT_EQ(e.relay_ip, "198.51.100.44");
  EXPECT_EQ(e.dsn, "4.7.0");
  EXPECT_EQ(e.stat,
            "Deferred: 421 4.7.0 [TSS04] Messages deferred due to volume, or complaints; see "
            "https://x");
  EXPECT_EQ(e.delay_s, 2);
}

TEST(SendmailParser, StatAfterABareComma) {
  SendmailEvent e;
  ASSERT_EQ(parse_sendmail_line("Jan 25 11:31:48 mx3 sm-mta[30373]: 40PBVlcW030371: "
                                "to=<old@example.net>, delay=00:00:01, mailer=esmtp, "
                                "relay=mx.example.net. [203.0.113.20], dsn=5.0.0,stat=Service "
                                "unavailable",
                                e),
            LineClass::parsed);
  EXPECT_EQ(e.dsn, "5.0.0");
  EXPECT_EQ(e.stat, "Service unavailable");
}

TEST(SendmailParser, FromLineOnSolarisWithLocalSubmission) {
  SendmailEvent e;
  ASSERT_EQ(parse_sendmail_line(
                "Jan 25 09:58:41 sunmail sendmail[15824]: [ID 801593 mail.info] 40P9wfIM015824: "
                "from=oracle, size=4410, class=0, nrcpts=1, "
                "msgid=<202401250958.40P9wfIM015824@sunmail.example.com>, relay=oracle@localhost",
                e),
            LineClass::parsed);
  EXPECT_EQ(e.kind, SendmailEventKind::from);
  EXPECT_EQ(e.header.host, "sunmail");
  EXPECT_EQ(e.sender, "oracle");
  EXPECT_EQ(e.size, 4410);
  EXPECT_EQ(e.msgid, "202401250958.40P9wfIM015824@sunmail.example.com");
  EXPECT_EQ(e.relay_host, "");  // a local submission has no client
  EXPECT_EQ(e.relay_ip, "");
}

TEST(SendmailParser, LinksAndRefusals) {
  SendmailEvent e;
  ASSERT_EQ(parse_sendmail_line("Jan 25 12:00:31 mx3 sm-mta[30401]: 40KC00PU008812: "
                                "40PC0Vd0030401: sender notify: Cannot send message for 5 days",
                                e),
            LineClass::parsed);
  EXPECT_EQ(e.kind, SendmailEventKind::link);
  EXPECT_EQ(e.new_qid, "40PC0Vd0030401");
  EXPECT_EQ(e.link_kind, "sender notify");
  EXPECT_EQ(e.link_text, "Cannot send message for 5 days");

  ASSERT_EQ(parse_sendmail_line(
                "Jan 25 11:10:40 mx3 sm-mta[30301]: 40PBAdcA030301: ruleset=check_rcpt, "
                "arg1=<victim@example.org>, relay=[203.0.113.45], reject=550 5.7.1 "
                "<victim@example.org>... Relaying denied. IP name lookup failed [203.0.113.45]",
                e),
            LineClass::parsed);
  EXPECT_EQ(e.kind, SendmailEventKind::reject);
  EXPECT_EQ(e.recipient, "victim@example.org");
  EXPECT_EQ(e.relay_ip, "203.0.113.45");
  EXPECT_TRUE(e.reject_text.starts_with("550 5.7.1 <victim@example.org>... Relaying denied."));

  ASSERT_EQ(parse_sendmail_line("Jan 25 10:45:19 mx3 sm-mta[30230]: 40PAjJbK030230: "
                                "<signup@example.com>... User unknown",
                                e),
            LineClass::parsed);
  EXPECT_EQ(e.recipient, "signup@example.com");
  EXPECT_EQ(e.reject_text, "User unknown");
}

TEST(SendmailParser, LinesWithoutRecipientFactsAreIgnoredAndBrokenOnesUnparsed) {
  SendmailEvent e;
  for (const char* line :
       {"Jan 25 10:14:08 web1 sm-mta[21880]: STARTTLS=client, relay=gmail-smtp-in.l.google.com., "
        "version=TLSv1.3, verify=OK",
        "Jan 25 10:33:12 web1 sm-mta[22001]: starting daemon (8.17.1.9): SMTP+queueing@00:10:00",
        "Jan 25 11:02:18 mx3 sm-mta[30250]: 40PB2Ibk030250: Milter insert (1): header: "
        "X-Spam-Status: No, score=-0.1",
        "Jan 25 11:10:55 mx3 sm-mta[30305]: 40PBAtcB030305: ruleset=check_relay, "
        "arg1=[203.0.113.46], relay=[203.0.113.46], reject=554 5.7.1 Rejected",
        "Jan 25 10:50:03 mx3 cyrus/lmtpunix[4412]: Delivered: <40PAo3bT030203@mx3> to mailbox"})
    EXPECT_EQ(parse_sendmail_line(line, e), LineClass::ignored) << line;
  for (const char* line :
       {"no header at all",
        "Jan 25 10:45:20 web1 sm-mta[22063]: 40PAjJMv022061: to=<a@example.com>, delay=00:00:01",
        "Jan 25 10:45:20 web1 sm-mta[22063]: 40PAjJMv022061: to=<a@example.com>, delay=1 day, "
        "stat=Sent"})
    EXPECT_EQ(parse_sendmail_line(line, e), LineClass::unparsed) << line;
}

TEST(SendmailParser, RelayDelayAndRecipientForms) {
  std::string_view host, ip;
  formats::split_sendmail_relay("gmail-smtp-in.l.google.com. [IPv6:2001:db8::1b]", host, ip);
  EXPECT_EQ(host, "gmail-smtp-in.l.google.com");
  EXPECT_EQ(ip, "2001:db8::1b");
  formats::split_sendmail_relay("[127.0.0.1] [127.0.0.1]", host, ip);
  EXPECT_EQ(host, "");
  EXPECT_EQ(ip, "127.0.0.1");
  formats::split_sendmail_relay("mx.branch.example.org.", host, ip);
  EXPECT_EQ(host, "mx.branch.example.org");
  EXPECT_EQ(ip, "");
  EXPECT_EQ(formats::parse_sendmail_delay("5+00:00:31"), 432031);
  EXPECT_EQ(formats::parse_sendmail_delay("00:30:02"), 1802);
  EXPECT_LT(formats::parse_sendmail_delay("30:02"), 0);
  // Found by the fuzzer (UBSan): numbers that overflow.
  EXPECT_LT(formats::parse_sendmail_delay("99999999999999999999+00:00:01"), 0);
  SendmailEvent e;
  ASSERT_EQ(parse_sendmail_line("Jan 25 10:14:07 web1 sendmail[1]: 40PAE7SU021877: from=root, "
                                "size=99999999999999999999999, nrcpts=1, relay=root@localhost",
                                e),
            LineClass::parsed);
  EXPECT_EQ(e.size, 0);
  EXPECT_EQ(formats::sendmail_recipient_address("Tom Baker <tom@example.com>"), "tom@example.com");
  EXPECT_EQ(formats::sendmail_recipient_address("jane@example.com"), "jane@example.com");
  EXPECT_EQ(formats::sendmail_recipient_address("\"|/usr/bin/x\""), "");
  EXPECT_EQ(formats::sendmail_recipient_address("/var/spool/archive"), "");
}

std::vector<Record> FinalRecords(const std::string& log, std::vector<OwnedRecord>& keep,
                                 std::size_t max_open = 100000) {
  ReaderOptions o;
  o.view = View::final;
  o.year = 2024;
  o.max_open_messages = max_open;
  Reader reader(o);
  const InputSource in = InputSource::memory("maillog", log);
  reader.read(std::span<const InputSource>(&in, 1), [&](const Record& r) { keep.emplace_back(r); });
  std::vector<Record> out;
  for (const OwnedRecord& r : keep) out.push_back(r.get());
  return out;
}

TEST(SendmailReader, FinalOutcomesMatchTheSampleReadme) {
  std::vector<OwnedRecord> keep;
  const auto records = FinalRecords(ReadSourceFile("corpus/samples/sendmail/maillog"), keep);
  std::map<std::string, int> user, system;
  for (const Record& r : records)
    ++(r.notification ? system : user)[std::string(to_string(r.outcome))];
  // README section 2 and 4: 8 delivered, 4 bounced, 4 deferred, 1 expired, 2 rejected.
  EXPECT_EQ(
      user,
      (std::map<std::string, int>{
          {"bounced", 4}, {"deferred", 4}, {"delivered", 8}, {"expired", 1}, {"rejected", 2}}));
  EXPECT_EQ(system, (std::map<std::string, int>{{"bounced", 1}, {"delivered", 5}}));
  for (const Record& r : records) {
    if (r.recipient == "tom.baker1987@gmail.com") {  // the late hop line must not win
      EXPECT_EQ(r.outcome, Outcome::bounced);
      EXPECT_EQ(r.message_key, "40PAKXLp021936");
      EXPECT_EQ(r.origin_key, "40PAKXU1021935");
    }
    if (r.recipient == "ap@example.net") {
      EXPECT_EQ(r.outcome, Outcome::expired);
      EXPECT_EQ(r.line, 63u);
      EXPECT_EQ(r.phase, "connect");
      EXPECT_EQ(r.delay_s, 432031);
      EXPECT_EQ(r.classification.bounce_type, BounceType::hard);
    }
    if (r.recipient == "victim@example.org") {
      EXPECT_EQ(r.sender, "info@example.net");  // from the from= line logged after it
      EXPECT_EQ(r.classification.reply_code, 550);
    }
    if (r.outcome == Outcome::delivered && !r.notification) {
      EXPECT_EQ(r.classification.reply_code, 0) << "Sendmail logs no code for " << r.recipient;
    }
  }
}

// Sendmail logs "User unknown" for any 550 to RCPT TO and "Service
// unavailable" for other 5xx replies: the dsn says why. A blocklisted sender
// must not make us suppress a valid recipient.
TEST(SendmailReader, RemoteRefusalWordsDeferToTheDsn) {
  const std::string head = "Jul  5 06:00:01 mx1 sm-mta[4242]: 5A1B2C3D000001: to=<a@example.org>, ";
  const auto classify = [&](const std::string& mailer, const std::string& dsn,
                            const std::string& stat) {
    std::vector<OwnedRecord> keep;
    const auto records =
        FinalRecords(head + "delay=00:00:01, xdelay=00:00:01, mailer=" + mailer +
                         ", pri=120000, relay=mx.example.org. [198.51.100.60], dsn=" + dsn +
                         ", stat=" + stat + "\n",
                     keep);
    EXPECT_EQ(records.size(), 1u);
    return records.empty() ? Classification{} : records[0].classification;
  };
  Classification c = classify("esmtp", "5.7.1", "User unknown");
  EXPECT_EQ(c.reason, Reason::policy_violation);
  EXPECT_FALSE(c.suppress_recipient);
  EXPECT_EQ(classify("esmtp", "5.7.26", "Service unavailable").reason, Reason::auth_failure);
  EXPECT_EQ(classify("esmtp", "5.1.1", "User unknown").reason, Reason::user_unknown);
  EXPECT_EQ(c.stage, Stage::rcpt_to);
  // The word decides only when the dsn says nothing, and only "User unknown".
  EXPECT_EQ(classify("esmtp", "5.5.0", "User unknown").reason, Reason::user_unknown);
  EXPECT_EQ(classify("esmtp", "5.0.0", "Service unavailable").reason, Reason::unknown);
  // A local mailer's "User unknown" is Sendmail's own finding.
  EXPECT_EQ(classify("local", "5.0.0", "User unknown").reason, Reason::user_unknown);
}

// Sendmail logs no end of a message: one whose recipients all have a final
// outcome is closed ten minutes (log time) later, so memory holds minutes of
// traffic rather than the whole log (or max_open messages).
TEST(SendmailCorrelator, ClosesCompleteMessagesAfterAGrace) {
  corpus::LogGenerator::Options o;
  o.format = "sendmail";
  o.messages = 20000;  // 83 minutes at 14,400 an hour
  o.scenarios.stale_list = true;
  std::string log;
  corpus::LogGenerator gen(o);
  gen.run([&](std::string_view chunk) { log += chunk; });

  std::uint64_t records = 0;
  std::size_t most_open = 0;
  const Classifier classifier;
  correlate::SendmailCorrelator correlator(classifier, View::final, 1u << 20,
                                           [&](const Record&) { ++records; });
  for (std::size_t at = 0; at < log.size();) {
    const std::size_t nl = log.find('\n', at);
    const std::string_view line(log.data() + at, nl - at);
    at = nl + 1;
    formats::SendmailEvent e;
    ASSERT_EQ(formats::parse_sendmail_line(line, e), LineClass::parsed) << line;
    correlate::LineContext ctx;
    ctx.host = e.header.host;
    ctx.time_us = formats::to_utc_micros(e.header.time, 2025, 0);
    ctx.has_time = true;
    correlator.add(e, ctx);
    most_open = std::max(most_open, correlator.open_messages());
  }
  // About ten minutes of traffic (2,400 messages and their bounce notices).
  EXPECT_LT(most_open, 4000u);
  EXPECT_GT(most_open, 2000u);
  EXPECT_LT(records, gen.truth().records);  // the last ten minutes are still open
  correlator.finish();
  EXPECT_EQ(correlator.open_messages(), 0u);
  EXPECT_EQ(records, gen.truth().records);
  EXPECT_EQ(correlator.evicted(), 0u);
}

TEST(SendmailReader, EvictionStillEmitsEveryRecipient) {
  // With room for two open messages, old ones are pushed out early: a hop
  // whose target is gone becomes a delivery to the relay, but no recipient
  // is lost.
  std::vector<OwnedRecord> all, tight;
  const std::string log = ReadSourceFile("corpus/samples/sendmail/maillog");
  const std::size_t n = FinalRecords(log, all).size();
  EXPECT_GE(FinalRecords(log, tight, 2).size(), n);
}

TEST(SendmailGolden, MatchesTheReviewedOutputAndCounts) {
  ReaderOptions o;
  o.year = 2024;
  testing_util::ExpectGoldenSample("sendmail", "maillog", {68, 56, 12, 0}, o);
}

}  // namespace
}  // namespace bounce
