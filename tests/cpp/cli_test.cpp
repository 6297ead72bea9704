// The CLI end to end through bounce::cli::run, with string streams.

#include <gtest/gtest.h>

#include <sstream>

#include "cli.hpp"

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
