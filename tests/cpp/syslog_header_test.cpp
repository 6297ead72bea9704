#include "formats/syslog_header.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace bounce::formats {
namespace {

struct HeaderCase {
  const char* line;
  int year, month, day, second_of_day, micros, offset_s;
  bool has_zone;
  const char* host;
  const char* program;
  const char* message;
};

class SyslogHeader : public testing::TestWithParam<HeaderCase> {};

TEST_P(SyslogHeader, SplitsEveryVariant) {
  const HeaderCase& c = GetParam();
  const SyslogLine l = parse_syslog_line(c.line);
  EXPECT_TRUE(l.has_header) << c.line;
  EXPECT_EQ(l.time.year, c.year) << c.line;
  EXPECT_EQ(l.time.month, c.month) << c.line;
  EXPECT_EQ(l.time.day, c.day) << c.line;
  EXPECT_EQ(l.time.second_of_day, c.second_of_day) << c.line;
  EXPECT_EQ(l.time.micros, c.micros) << c.line;
  EXPECT_EQ(l.time.offset_s, c.offset_s) << c.line;
  EXPECT_EQ(l.time.has_zone, c.has_zone) << c.line;
  EXPECT_EQ(l.host, c.host) << c.line;
  EXPECT_EQ(l.program, c.program) << c.line;
  EXPECT_EQ(l.message, c.message) << c.line;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, SyslogHeader,
    testing::Values(
        HeaderCase{"Jul  5 06:52:11 prd-mx1 postfix/smtp[22030]: 3mPVKl0Mhjz7sXv: to=<a>", 0, 7, 5,
                   24731, 0, 0, false, "prd-mx1", "postfix/smtp", "3mPVKl0Mhjz7sXv: to=<a>"},
        HeaderCase{"Jan 6 08:39:49 mail postfix/smtpd[339505]: connect from x", 0, 1, 6, 31189, 0,
                   0, false, "mail", "postfix/smtpd", "connect from x"},
        HeaderCase{"2026-03-03T10:45:35.473746+00:00 mail postfix/smtp[1013986]: x", 2026, 3, 3,
                   38735, 473746, 0, true, "mail", "postfix/smtp", "x"},
        HeaderCase{"2026-03-03T11:47:02+01:00 edge postfix-smo/submission/smtpd[9]: y", 2026, 3, 3,
                   42422, 0, 3600, true, "edge", "postfix-smo/submission/smtpd", "y"},
        HeaderCase{"2013 Jun 10 06:28:18.123 gds39d postfix/smtp[16152]: z", 2013, 6, 10, 23298,
                   123000, 0, false, "gds39d", "postfix/smtp", "z"},
        HeaderCase{"May 24 14:33:34 sendmail[27641]: abc", 0, 5, 24, 52414, 0, 0, false, "",
                   "sendmail", "abc"},
        HeaderCase{"May 24 14:33:34 postfix/smtp[27641]: 0F5383D: removed", 0, 5, 24, 52414, 0, 0,
                   false, "", "postfix/smtp", "0F5383D: removed"},
        HeaderCase{"Jun 27 07:45:21 mailhost sendmail[15824]: [ID 801593 mail.info] r5R7jL4I: x", 0,
                   6, 27, 27921, 0, 0, false, "mailhost", "sendmail", "r5R7jL4I: x"},
        HeaderCase{"<22>1 2026-03-03T10:45:34.890Z mail postfix/pickup 1013950 - [timeQuality "
                   "tzKnown=\"1\"] 7EE668039: uid=0 from=<monitor>",
                   2026, 3, 3, 38734, 890000, 0, true, "mail", "postfix/pickup",
                   "7EE668039: uid=0 from=<monitor>"},
        HeaderCase{"<22>1 2026-03-03T10:45:34.901Z mail postfix/cleanup 1013963 - - 7EE668039: "
                   "message-id=<x>",
                   2026, 3, 3, 38734, 901000, 0, true, "mail", "postfix/cleanup",
                   "7EE668039: message-id=<x>"}));

TEST(SyslogHeader, MessageOnlyAndJunkLinesHaveNoHeader) {
  for (const char* line : {"7EE668039: to=<admin@example.com>, relay=x", "", "garbage \x01\xff",
                           "Foo 12 10:00:00 host prog: x", "Jul 32 10:00:00 host prog: x",
                           "2026-13-03T10:45:35Z host prog: x"}) {
    const SyslogLine l = parse_syslog_line(line);
    EXPECT_FALSE(l.has_header) << line;
    EXPECT_EQ(l.message, line);
  }
}

// A line whose timestamp text is the previous line's reuses that parse: each
// line of sequences that keep, extend or end that text must come out as it
// does on a thread that has parsed nothing before.
TEST(SyslogHeader, ALineParsesTheSameAfterAnyPreviousLine) {
  const std::vector<std::string> lines = {
      "Jul  5 06:00:15 mx1 postfix/smtp[1]: A1: to=<a>",
      "Jul  5 06:00:15 mx1 postfix/qmgr[2]: A1: removed",      // the same text
      "Jul  5 06:00:15.250 mx1 postfix/qmgr[2]: A1: removed",  // the same text, then a fraction
      "Jul  5 06:00:15.250 mx1 postfix/qmgr[2]: A2: removed",
      "Jul  5 06:00:15.25 mx1 postfix/qmgr[2]: A2: removed",  // a prefix of the previous text
      "Jul  5 06:00:15",                                      // the text and nothing after it
      "Jul  5 06:00:15: not a header",
      "Jul  5 06:00:15 mx1 postfix/smtp[1]: A1: to=<a>",
      "Jul  5 06:00:16 mx1 postfix/smtp[1]: A1: to=<a>",
      "2026-03-03T10:45:35Z mail postfix/smtp[3]: x",
      "2026-03-03T10:45:35Z mail postfix/smtp[3]: y",
      "2026-03-03T10:45:35+01:00 mail postfix/smtp[3]: y",  // the same up to the zone
      "2026-03-03T10:45:35 mail postfix/smtp[3]: y",
      "2013 Jun 10 06:28:18 gds39d postfix/smtp[4]: z",
      "2013 Jun 10 06:28:18 gds39d postfix/smtp[4]: z",
      "<22>1 2013 Jun 10 06:28:18 gds39d postfix/smtp 4 - - z",
      "Jun 10 06:28:18 gds39d postfix/smtp[4]: z",
  };
  const auto same = [](const SyslogLine& a, const SyslogLine& b) {
    return a.has_header == b.has_header && a.time.year == b.time.year &&
           a.time.month == b.time.month && a.time.day == b.time.day &&
           a.time.second_of_day == b.time.second_of_day && a.time.micros == b.time.micros &&
           a.time.offset_s == b.time.offset_s && a.time.has_zone == b.time.has_zone &&
           a.time_text == b.time_text && a.host == b.host && a.program == b.program &&
           a.message == b.message;
  };
  for (const std::string& line : lines) {
    const SyslogLine after_previous = parse_syslog_line(line);
    SyslogLine fresh;
    std::thread([&] { fresh = parse_syslog_line(line); }).join();
    EXPECT_TRUE(same(after_previous, fresh)) << line;
  }
}

// The clock is checked as one 8-byte word: every byte value at every one of
// its positions must be accepted exactly when the byte-wise rule does (a
// digit where digits go, ':' where colons go, and the ranges 0-23, 0-59, 0-60).
TEST(SyslogHeader, ClockAcceptsExactlyDigitsAndColonsInPlace) {
  const std::string good = "Jul  5 06:52:11 mx postfix/smtp[1]: x";
  const std::size_t clock = 7;
  for (std::size_t k = 0; k < 8; ++k)
    for (int b = 1; b < 256; ++b) {
      std::string line = good;
      line[clock + k] = static_cast<char>(b);
      const bool colon_slot = k == 2 || k == 5;
      bool ok = colon_slot ? b == ':' : b >= '0' && b <= '9';
      if (ok) {
        const auto two = [&](std::size_t at) {
          return (line[clock + at] - '0') * 10 + (line[clock + at + 1] - '0');
        };
        ok = two(0) <= 23 && two(3) <= 59 && two(6) <= 60;
      }
      const SyslogLine l = parse_syslog_line(line);
      EXPECT_EQ(l.has_header, ok) << "byte " << b << " at clock position " << k;
      if (ok) {
        const int h = (line[clock] - '0') * 10 + (line[clock + 1] - '0');
        const int m = (line[clock + 3] - '0') * 10 + (line[clock + 4] - '0');
        const int s = (line[clock + 6] - '0') * 10 + (line[clock + 7] - '0');
        EXPECT_EQ(l.time.second_of_day, h * 3600 + m * 60 + s) << line;
      }
    }
}

TEST(SyslogHeader, DaemonIsTheLastComponent) {
  EXPECT_EQ(daemon_of("postfix-out/smtp"), "smtp");
  EXPECT_EQ(daemon_of("postfix/submission/smtpd"), "smtpd");
  EXPECT_EQ(daemon_of("sendmail"), "sendmail");
}

TEST(SyslogHeader, CivilDaysAndUtc) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  LogTime t;
  t.month = 3;
  t.day = 3;
  t.second_of_day = 11 * 3600 + 47 * 60 + 2;
  t.offset_s = 3600;
  t.has_zone = true;
  // 2026-03-03T11:47:02+01:00 == 10:47:02Z
  EXPECT_EQ(to_utc_micros(t, 2026, 0), (days_from_civil(2026, 3, 3) * 86400 + 38822) * 1000000);
}

}  // namespace
}  // namespace bounce::formats
