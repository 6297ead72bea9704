// The built-in rule tables: complete, valid, and every rule reachable.

#include <gtest/gtest.h>

#include <set>

#include "bounce/classifier.hpp"
#include "bounce/status_code.hpp"

namespace bounce {
namespace {

const Classifier& Shared() {
  static const Classifier c;
  return c;
}

// Every code of the IANA "SMTP Enhanced Status Codes" registry (as of RFC 8689).
TEST(BuiltinRules, EnhancedTableCoversTheWholeIanaRegistry) {
  const std::vector<std::pair<int, int>> ranges = {{0, 0}, {1, 10}, {2, 4},  {3, 6},
                                                   {4, 7}, {5, 6},  {6, 10}, {7, 30}};
  for (const auto& [subject, last] : ranges) {
    for (int detail = (subject == 0 ? 0 : 0); detail <= last; ++detail) {
      const std::string code = "5." + std::to_string(subject) + "." + std::to_string(detail);
      // "xyzzy" matches no pattern, so the enhanced table must answer.
      const Classification c = Shared().classify(0, code, "xyzzy");
      EXPECT_EQ(c.rule.id, "iana.X." + std::to_string(subject) + "." + std::to_string(detail))
          << code;
      EXPECT_EQ(c.rule.source.substr(0, 3) == "RFC" || !c.rule.source.empty(), true) << code;
    }
  }
}

TEST(BuiltinRules, ClassDefaultsCatchUnlistedCodes) {
  EXPECT_EQ(Shared().classify(0, "", "599 xyzzy").rule.id, "reply.5xx");
  EXPECT_EQ(Shared().classify(0, "", "499 xyzzy").rule.id, "reply.4xx");
  EXPECT_EQ(Shared().classify(0, "4.9.99", "xyzzy").bounce_type, BounceType::soft);
}

TEST(BuiltinRules, PatternSetIsLarge) { EXPECT_GE(Shared().pattern_count(), 150u); }

// The documented examples (libbounce/rules/README.md) load, and the TSV and
// JSON spellings of the same rules decide alike.
TEST(UserRules, TheExampleFilesLoadAndAgree) {
  const std::string dir = std::string(LIBBOUNCE_SOURCE_DIR) + "/examples/rules/";
  ClassifierOptions tsv, json;
  tsv.rule_files = {dir + "site_rules.tsv"};
  json.rule_files = {dir + "site_rules.json"};
  const Classifier from_tsv(tsv), from_json(json);
  const ClassifyContext outlook{.remote_host = "x.mail.protection.outlook.com"};
  struct Case {
    const char* reply;
    const char* rule;
    Reason reason;
    BounceType type;
  };
  for (const Case& c :
       {Case{"452 4.2.2 over quota ACME-Q17", "acme.quota", Reason::mailbox_full, BounceType::soft},
        Case{"550 5.2.1 account closed by acme", "acme.closed", Reason::mailbox_disabled,
             BounceType::hard},
        Case{"550 5.7.1 partner tenant contoso blocked", "microsoft.partner_tenant_block",
             Reason::policy_violation, BounceType::hard}}) {
    for (const Classifier* classifier : {&from_tsv, &from_json}) {
      const Classification v = classifier->classify(0, "", c.reply, outlook);
      EXPECT_EQ(v.rule.id, c.rule) << c.reply;
      EXPECT_EQ(v.reason, c.reason) << c.reply;
      EXPECT_EQ(v.bounce_type, c.type) << c.reply;
    }
  }
  // The provider column limits a rule to its provider.
  EXPECT_NE(from_tsv.classify("550 5.7.1 partner tenant contoso blocked").rule.id,
            "microsoft.partner_tenant_block");
}

}  // namespace
}  // namespace bounce
