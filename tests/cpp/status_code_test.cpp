#include "bounce/status_code.hpp"

#include <gtest/gtest.h>

namespace bounce {
namespace {

TEST(EnhancedCode, ParsesValidCodesOnly) {
  EXPECT_EQ(EnhancedCode::parse("5.1.1"), (EnhancedCode{5, 1, 1}));
  EXPECT_EQ(EnhancedCode::parse("4.7.650"), (EnhancedCode{4, 7, 650}));
  EXPECT_EQ(EnhancedCode::parse("2.0.0"), (EnhancedCode{2, 0, 0}));
  EXPECT_EQ(EnhancedCode::parse("5.1.10")->to_string(), "5.1.10");
  for (const char* bad : {"", "3.1.1", "6.0.0", "5.1", "5.1.", "5..1", "5.1.1000", "5.1234.1",
                          "5.1.1 ", " 5.1.1", "5.1.1.1", "x.1.1", "55.1.1"})
    EXPECT_FALSE(EnhancedCode::parse(bad).has_value()) << '"' << bad << '"';
  EXPECT_EQ(EnhancedCode{}.to_string(), "");
  EXPECT_TRUE((EnhancedCode{5, 0, 0}).generic());
}

struct SplitCase {
  const char* raw;
  int reply;
  const char* enhanced;
  const char* text;
};

class SplitReply : public testing::TestWithParam<SplitCase> {};

TEST_P(SplitReply, FindsBothCodes) {
  const SplitCase& c = GetParam();
  const ReplyParts p = split_reply(c.raw);
  EXPECT_EQ(p.reply_code, c.reply) << c.raw;
  EXPECT_EQ(p.enhanced.to_string(), c.enhanced) << c.raw;
  EXPECT_EQ(p.text, c.text) << c.raw;
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, SplitReply,
    testing::Values(
        SplitCase{"550 5.1.1 <u@example.com>: Recipient address rejected", 550, "5.1.1",
                  "<u@example.com>: Recipient address rejected"},
        SplitCase{"550-5.1.1 The email account 550 5.1.1 double-check", 550, "5.1.1",
                  "The email account 550 5.1.1 double-check"},
        SplitCase{"host mx.example.com[192.0.2.1] said: 552 4.2.2 User has full mailbox. (in reply "
                  "to RCPT TO command)",
                  552, "4.2.2", "User has full mailbox. (in reply to RCPT TO command)"},
        SplitCase{"smtp; 550 5.1.1 user unknown", 550, "5.1.1", "user unknown"},
        SplitCase{"smtp;550 5.7.1 blocked", 550, "5.7.1", "blocked"},
        SplitCase{"#5.1.1 smtp;550 Requested action not taken", 550, "5.1.1",
                  "Requested action not taken"},
        SplitCase{"5.1.1 The email account that you tried to reach does not exist", 0, "5.1.1",
                  "The email account that you tried to reach does not exist"},
        SplitCase{"421 Service not available", 421, "", "Service not available"},
        SplitCase{"250 2.0.0 Ok: queued as 0718AE0440", 250, "2.0.0", "Ok: queued as 0718AE0440"},
        SplitCase{"550 4.4.7 QUEUE.Expired; message expired", 550, "4.4.7",
                  "QUEUE.Expired; message expired"},
        SplitCase{"250 2.1.5Recipient OK", 250, "2.1.5", "Recipient OK"},
        // The Yahoo suffix "4.16.55.1" is no enhanced code: a dotted quad is never taken.
        SplitCase{"421 4.7.0 [TSS04] Messages temporarily deferred - 4.16.55.1", 421, "4.7.0",
                  "[TSS04] Messages temporarily deferred - 4.16.55.1"},
        SplitCase{"Messages from 192.0.2.1 temporarily deferred - 4.16.55.1", 0, "",
                  "Messages from 192.0.2.1 temporarily deferred - 4.16.55.1"},
        // Codes that do not lead the text (Exim, Exchange NDR text).
        SplitCase{"SMTP error from remote mail server after RCPT TO:<x@example.com>: host mx "
                  "[192.0.2.1]: 550 5.1.1 no such user",
                  550, "5.1.1",
                  "SMTP error from remote mail server after RCPT TO:<x@example.com>: host mx "
                  "[192.0.2.1]: 550 5.1.1 no such user"},
        SplitCase{"Remote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'", 550,
                  "5.1.10", "Remote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'"},
        SplitCase{"connect to mx.example.com[192.0.2.7]:25: Connection timed out", 0, "",
                  "connect to mx.example.com[192.0.2.7]:25: Connection timed out"},
        SplitCase{"", 0, "", ""}, SplitCase{"550", 550, "", ""},
        SplitCase{"5501 nope", 0, "", "5501 nope"}));

TEST(ReplyClass, OnlyValidRanges) {
  EXPECT_EQ(reply_class(550), 5);
  EXPECT_EQ(reply_class(421), 4);
  EXPECT_EQ(reply_class(250), 2);
  EXPECT_EQ(reply_class(605), 0);
  EXPECT_EQ(reply_class(0), 0);
}

}  // namespace
}  // namespace bounce
