// The CLI end to end through bounce::cli::run, with string streams.

#include <gtest/gtest.h>

#include <sstream>

#include "cli.hpp"
#include "test_util.hpp"

namespace bounce::cli {
namespace {

struct Result {
  int code;
  std::string out, err;
};

Result RunCli(const std::vector<std::string>& args, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = run(args, in, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, ClassifyPrintsVerdictAndRule) {
  const Result r = RunCli({"classify",
                           "550 5.1.1 The email account that you tried to reach does not "
                           "exist. - gsmtp"});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("hard user_unknown -> suppress_recipient, suppress recipient"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("rule google.unknown_user"), std::string::npos) << r.out;
}

TEST(Cli, ClassifyStdinWritesJsonl) {
  const Result r =
      RunCli({"classify", "-"}, "452 4.2.2 mailbox full\n\n421 4.7.0 [TSS04] deferred\r\n");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  std::istringstream lines(r.out);
  std::string first, second, extra;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_FALSE(std::getline(lines, extra)) << "blank input lines are skipped";
  EXPECT_EQ(first.rfind("{\"text\":\"452 4.2.2 mailbox full\",\"reply_code\":452,", 0), 0u)
      << first;
  EXPECT_NE(first.find("\"reason\":\"mailbox_full\""), std::string::npos) << first;
  EXPECT_NE(second.find("\"reason\":\"rate_limited\""), std::string::npos) << second;
}

TEST(Cli, ClassifyTsvInAndOut) {
  const Result r = RunCli(
      {"classify", "-", "--input", "tsv", "--output", "tsv"},
      "550\t5.1.10\tRESOLVER.ADR.RecipientNotFound\tx.mail.protection.outlook.com\tRCPT TO\n");
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("text\treply_code\tenhanced_code\tbounce_type", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("RESOLVER.ADR.RecipientNotFound\t550\t5.1.10\thard\ttrue\tuser_unknown\t\t"
                       "suppress_recipient\trcpt_to\tmicrosoft_365\t"),
            std::string::npos)
      << r.out;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli({}).code, kExitUsage);
  EXPECT_EQ(RunCli({"frobnicate"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"classify"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"classify", "--output", "xml", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"classify", "--code", "abc", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"classify", "--bogus", "x"}).code, kExitUsage);
  const Result r = RunCli({"classify", "-", "--input", "tsv"}, "only-one-column\n");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
}

TEST(Cli, BadRuleFileExitsOne) {
  const Result r = RunCli({"classify", "--rules", "/nonexistent.tsv", "x"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("/nonexistent.tsv"), std::string::npos) << r.err;
}

TEST(Cli, HelpAndVersion) {
  EXPECT_EQ(RunCli({"--help"}).code, kExitOk);
  const Result v = RunCli({"--version"});
  EXPECT_EQ(v.code, kExitOk);
  EXPECT_EQ(v.out.rfind("bounce 0.", 0), 0u) << v.out;
  EXPECT_NE(RunCli({"classify", "--help"}).out.find("--input FORMAT"), std::string::npos);
}

}  // namespace
}  // namespace bounce::cli

namespace bounce::cli {
namespace {

using testing_util::Lines;

std::string SamplePath(const char* name) {
  return std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/samples/postfix/" + name;
}

TEST(CliParse, JsonlWithSummaryOnStderr) {
  const Result r =
      RunCli({"parse", "--year", "2025", "--view", "final", SamplePath("classic.log")});
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "bounce: 160 lines: 127 parsed, 33 ignored, 0 unparsed; 28 records\n");
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
  }
  EXPECT_EQ(n, 28);
}

TEST(CliParse, CsvAndTsvHaveAHeaderAndOneRowPerRecord) {
  for (const char* format : {"csv", "tsv"}) {
    const Result r = RunCli(
        {"parse", "--quiet", "--year", "2025", "--output", format, SamplePath("dec_rollover.log")});
    EXPECT_EQ(r.code, kExitOk) << r.err;
    EXPECT_EQ(r.err, "");
    const auto rows = Lines(r.out);
    ASSERT_EQ(rows.size(), 3u) << format;
    EXPECT_EQ(rows[0].rfind(std::string("time") + (format[0] == 'c' ? ',' : '\t') + "time_text", 0),
              0u);
    EXPECT_NE(rows[1].find("jane.doe@gmail.com"), std::string::npos);
  }
}

TEST(CliParse, StdinAndStrictAndStats) {
  const std::string log =
      "Jan 6 08:39:50 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, relay=none, delay=1, "
      "dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection timed out)\n"
      "Jan 6 08:39:51 mail postfix/smtp[2]: 1A2B3C4D5E: to=<broken\n";
  Result r = RunCli({"parse", "--year", "2025", "--stats", "-"}, log);
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_NE(r.err.find("2 lines: 1 parsed, 0 ignored, 1 unparsed; 1 records"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("postfix/smtp: 1 parsed, 0 ignored, 1 unparsed"), std::string::npos)
      << r.err;
  r = RunCli({"parse", "--strict", "--year", "2025", "-"}, log);
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("<stdin>:2: unparsed line"), std::string::npos) << r.err;
}

TEST(CliParse, Errors) {
  EXPECT_EQ(RunCli({"parse"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"parse", "--view", "some", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"parse", "--format", "qmail", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"parse", "--threads", "-1", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"parse", "--max-expansion", "lots", "x"}).code, kExitUsage);
  EXPECT_EQ(RunCli({"report", "--max-expansion", "-5", "x"}).code, kExitUsage);
  // A forced format that does not fit: every line counted, and a hint.
  const Result wrong = RunCli({"parse", "--format", "exim", SamplePath("classic.log")});
  EXPECT_EQ(wrong.code, kExitOk);
  EXPECT_NE(wrong.err.find("0 parsed"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("warning: no line parsed as --format exim; if the input is another "
                           "format, try --format auto"),
            std::string::npos)
      << wrong.err;
  EXPECT_EQ(RunCli({"parse", "--format", "postfix", SamplePath("classic.log")}).err.find("warning"),
            std::string::npos);
  EXPECT_EQ(RunCli({"parse", "--tz", "Mars/Olympus", SamplePath("classic.log")}).code,
            kExitFailure);
  const Result r = RunCli({"parse", "/nonexistent/mail.log"});
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("/nonexistent/mail.log: cannot open"), std::string::npos) << r.err;
}

// The exit codes `bounce --help` and the README document: 0 done (whatever
// was found), 1 an input could not be processed, 2 a usage error.
TEST(CliParse, InputErrorsExitOneNamingTheInput) {
  const Result dir = RunCli({"parse", std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus"});
  EXPECT_EQ(dir.code, kExitFailure);
  EXPECT_NE(dir.err.find("corpus: is a directory, not a log file"), std::string::npos) << dir.err;
  // (Literal pieces apart: "\x01b..." would read as the single escape \x01b.)
  const Result garbage = RunCli({"parse", "-"}, std::string("\x7f\x01"
                                                            "binary\n\x02\x03"));
  EXPECT_EQ(garbage.code, kExitFailure);
  EXPECT_NE(garbage.err.find("<stdin>: cannot recognise the format"), std::string::npos)
      << garbage.err;
  std::string gz =
      testing_util::Gzip(testing_util::ReadSourceFile("corpus/samples/postfix/classic.log"));
  gz.resize(gz.size() / 2);
  for (const char* command : {"parse", "report"}) {
    const Result cut = RunCli({command, "-"}, gz);
    EXPECT_EQ(cut.code, kExitFailure) << command;
    EXPECT_NE(cut.err.find("bounce: <stdin>: truncated gzip stream"), std::string::npos) << cut.err;
  }
}

}  // namespace
}  // namespace bounce::cli
