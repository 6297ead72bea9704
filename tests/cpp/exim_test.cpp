// Exim: the line parser on the documented shapes, and the golden records and
// line accounting of corpus/samples/exim (checked against its README).

#include <gtest/gtest.h>

#include "bounce/reader.hpp"
#include "formats/exim_parser.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using formats::EximEvent;
using formats::EximEventKind;
using formats::LineClass;
using formats::parse_exim_line;
using testing_util::ExpectSameLines;
using testing_util::Lines;
using testing_util::ReadAll;
using testing_util::ReadSourceFile;

TEST(EximParser, IdsClassicAnd497) {
  EXPECT_TRUE(formats::is_exim_id("1RwtJa-000AFB-07"));
  EXPECT_TRUE(formats::is_exim_id("1rT0J1-000000003pC-21ct"));
  EXPECT_FALSE(formats::is_exim_id("1RwtJa-000AFB-0"));
  EXPECT_FALSE(formats::is_exim_id("Start queue run"));
}

TEST(EximParser, DeliveryWithQuotedConfirmation) {
  EximEvent e;
  ASSERT_EQ(
      parse_exim_line(
          "2012-02-13 14:57:25 1RwtZn-000Hp3-BF => kumqpq@gmail.com R=dnslookup T=remote_smtp "
          "H=gmail-smtp-in.l.google.com [209.85.137.27] X=TLSv1:RC4-SHA:128 C=\"250 2.0.0 OK "
          "1329130645 b5si5289243lbn.22\"",
          e),
      LineClass::parsed);
  EXPECT_EQ(e.kind, EximEventKind::delivery);
  EXPECT_EQ(e.id, "1RwtZn-000Hp3-BF");
  EXPECT_EQ(e.address, "kumqpq@gmail.com");
  EXPECT_EQ(e.remote_host, "gmail-smtp-in.l.google.com");
  EXPECT_EQ(e.remote_ip, "209.85.137.27");
  EXPECT_EQ(e.confirmation, "250 2.0.0 OK 1329130645 b5si5289243lbn.22");
  EXPECT_EQ(e.time.year, 2012);
}

TEST(EximParser, QuotedValuesKeepSpacesAndEscapedQuotes) {
  EximEvent e;
  ASSERT_EQ(parse_exim_line("2024-01-25 07:00:07 1rSXrn-00021e-1g <= a@example.com "
                            "H=mail.example.com [192.0.2.1] P=esmtp S=1234 id=x@example.com "
                            "T=\"Re: \\\"the plan\\\" for today\" from <a@example.com> for "
                            "b@example.org",
                            e),
            LineClass::parsed);
  EXPECT_EQ(e.transport_or_subject, "Re: \\\"the plan\\\" for today");
  EXPECT_EQ(e.message_id, "x@example.com");
  EXPECT_EQ(e.size, 1234);
  EXPECT_EQ(e.client_ip, "192.0.2.1");
  // An escaped quote outside a quoted value opens nothing: the space ends the token.
  ASSERT_EQ(parse_exim_line("2024-01-25 07:00:07 1rSXrn-00021e-1g => b@example.org R=dnslookup "
                            "T=remote_smtp H=mx.example.org [192.0.2.2] X=a\\\"b C=\"250 OK\"",
                            e),
            LineClass::parsed);
  EXPECT_EQ(e.tls, "a\\\"b");
  EXPECT_EQ(e.confirmation, "250 OK");
  // An unterminated quote runs to the end of the line.
  ASSERT_EQ(parse_exim_line("2024-01-25 07:00:07 1rSXrn-00021e-1g => b@example.org R=dnslookup "
                            "C=\"250 OK queued X=1",
                            e),
            LineClass::parsed);
  EXPECT_EQ(e.confirmation, "\"250 OK queued X=1");
  EXPECT_EQ(e.tls, "");
}

TEST(EximParser, DeferralWithErrnoAndSmtpError) {
  EximEvent e;
  ASSERT_EQ(
      parse_exim_line(
          "2012-02-13 14:39:22 1RookS-000Pg8-VO == udb@london.com R=dnslookup T=remote_smtp "
          "defer (-44): SMTP error from remote mail server after RCPT TO:<udb@london.com>: host "
          "mx0.gmx.com [74.208.5.90]: 450 4.3.2 Too many mails (mail bomb)",
          e),
      LineClass::parsed);
  EXPECT_EQ(e.kind, EximEventKind::deferral);
  EXPECT_EQ(e.phase, "RCPT TO");
  EXPECT_EQ(e.error_host, "mx0.gmx.com");
  EXPECT_EQ(e.reply, "450 4.3.2 Too many mails (mail bomb)");
}

TEST(EximParser, ZoneMillisPidAndSyslogEnvelope) {
  EximEvent e;
  ASSERT_EQ(parse_exim_line("2024-01-25 07:00:07.402 +0100 [41004] 1rSXrn-00021e-1g Completed", e),
            LineClass::parsed);
  EXPECT_EQ(e.kind, EximEventKind::completed);
  EXPECT_EQ(e.time.offset_s, 3600);
  EXPECT_EQ(e.time.micros, 402000);
  ASSERT_EQ(parse_exim_line("Jan 25 14:02:13 mx2 exim[14712]: 2024-01-25 14:02:13.422771 "
                            "1rT0J3-000000003pI-1lyt <= <> R=1rT0J1-000000003pC-21ct U=Debian-exim "
                            "P=local S=7214",
                            e),
            LineClass::parsed);
  EXPECT_EQ(e.host, "mx2");
  EXPECT_EQ(e.kind, EximEventKind::arrival);
  EXPECT_EQ(e.address, "<>");
  EXPECT_EQ(e.parent_id, "1rT0J1-000000003pC-21ct");  // R= on <= is the parent id
  EXPECT_EQ(parse_exim_line("Jan 25 14:02:13 mx2 CRON[1]: (root) CMD (x)", e), LineClass::ignored);
  EXPECT_EQ(parse_exim_line("garbage", e), LineClass::unparsed);
  // Found by the fuzzer: a message id with nothing after it threw from a
  // noexcept function.
  EXPECT_EQ(parse_exim_line("Jan 25 14:02:13 mx2 exim[14712]: 2024-01-25 14:02:13.422771 "
                            "1rT0J3-000000003pI-1ly0",
                            e),
            LineClass::unparsed);
}

struct EximSample {
  const char* name;
  testing_util::LineCounts counts;
};

class EximGolden : public testing::TestWithParam<EximSample> {};

TEST_P(EximGolden, MatchesTheReviewedOutputAndCounts) {
  testing_util::ExpectGoldenSample("exim", GetParam().name, GetParam().counts);
}

INSTANTIATE_TEST_SUITE_P(Samples, EximGolden,
                         testing::Values(EximSample{"mainlog", {111, 87, 24, 0}},
                                         EximSample{"syslog.log", {22, 16, 6, 0}}),
                         [](const auto& p) {
                           return std::string(p.param.name) == "mainlog" ? "Mainlog" : "Syslog";
                         });

}  // namespace
}  // namespace bounce
