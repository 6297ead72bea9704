#include <gtest/gtest.h>

#include "bounce/classifier.hpp"
#include "classify/normalize.hpp"

namespace bounce {
namespace {

TEST(NormalizeReply, MasksVariableParts) {
  EXPECT_EQ(normalize_reply("550 5.1.1 <joe.bloggs+x@example.com>: Recipient  address\trejected"),
            "550 5.1.1 <{addr}>: Recipient address rejected");
  EXPECT_EQ(normalize_reply("Client host [192.0.2.33] blocked using zen.spamhaus.org"),
            "Client host [{ip}] blocked using zen.spamhaus.org");
  EXPECT_EQ(normalize_reply("from [2001:db8::25] now"), "from [{ip}] now");
  EXPECT_EQ(normalize_reply("OK 1329130645 b5si5289243lbn.22 - gsmtp"), "OK {n} {id}.22 - gsmtp");
  EXPECT_EQ(normalize_reply("  trailing and leading  "), "trailing and leading");
}

TEST(NormalizeReply, KeepsTheTokensRulesDependOn) {
  // Provider codes must survive masking: rules match on them.
  for (const char* keep : {"[TSS04]", "AUP#In-1310", "BL000001", "S3150", "AS16012611", "IB607",
                           "OFR_506", "4.7.28", "5.7.650", "CXBL", "LPN004_401", "12:30:45"})
    EXPECT_EQ(normalize_reply(keep), keep);
}

TEST(NormalizeReply, MasksLongerThanTheirTokensFit) {
  // Found by the fuzzer (ASan): "a@b.c" grows when masked, and the output
  // buffer was sized for shrinking only.
  std::string text, expected;
  for (int i = 0; i < 64; ++i) {
    text += "a@b.c ";
    expected += "{addr} ";
  }
  expected.pop_back();
  EXPECT_EQ(normalize_reply(text), expected);
}

// The classifier appends the normalised text to the codes in a reused
// buffer: what is there already stays, and the rest is normalize_reply's.
TEST(NormalizeReply, AppendsAfterWhatTheBufferHolds) {
  std::string buffer = "550 5.1.1 ";
  const std::string text = "<joe@example.com>: Recipient address rejected [192.0.2.1] at 12:30:45";
  append_normalized_reply(text, buffer);
  EXPECT_EQ(buffer, "550 5.1.1 " + normalize_reply(text));
  buffer.assign(3, 'x');
  append_normalized_reply("", buffer);
  EXPECT_EQ(buffer, "xxx");
}

TEST(NormalizeReply, IsStableUnderReapplication) {
  const std::string once = normalize_reply("550 <a@b.example> [192.0.2.1] id 8472938472 x");
  EXPECT_EQ(normalize_reply(once), once);
}

}  // namespace
}  // namespace bounce
