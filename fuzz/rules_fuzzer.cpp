// libFuzzer target: arbitrary text through the rule-table parsers, as a user
// rule file (TSV or JSON) or as any of the built-in tables. The first byte
// picks the parser. A RuleError (naming the file and line) is the accepted
// outcome for bad rules; anything else escaping is a bug. Parsed user rules
// are also compiled the way the Classifier compiles them (RE2 with its
// options), since a pattern that parses may still be invalid RE2.

#include <re2/re2.h>
#include <re2/set.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bounce/error.hpp"
#include "classify/rule_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  namespace rules = bounce::rules;
  try {
    switch (data[0] % 5) {
      case 0: {
        RE2::Options options;
        options.set_case_sensitive(false);
        options.set_log_errors(false);
        RE2::Set set(options, RE2::UNANCHORED);
        for (const rules::PatternRule& r : rules::parse_user_rules("fuzz", text)) {
          if (r.id.empty()) __builtin_trap();  // every rule is named in errors
          std::string error;
          (void)set.Add(r.pattern, &error);
        }
        (void)set.Compile();
        break;
      }
      case 1:
        (void)rules::parse_pattern_rules("fuzz", text);
        break;
      case 2:
        (void)rules::parse_enhanced_table("fuzz", text);
        break;
      case 3:
        (void)rules::parse_reply_table("fuzz", text);
        break;
      default:
        (void)rules::parse_provider_table("fuzz", text);
        break;
    }
  } catch (const bounce::RuleError&) {
  }
  return 0;
}
