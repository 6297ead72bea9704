// Rule tables: the classification data under libbounce/rules/ (and user rule
// files) parsed into typed rows. Parsing is strict: an unknown column value is
// a RuleError naming the file and line, so a typo cannot silently weaken a rule.
//
// Every table is TSV with a header line naming its columns (any order; `#`
// lines and blank lines are skipped). In any verdict column, `-` or an empty
// cell means "the default": bounce type by the code's class, suppress for
// address problems, the reason's default action, stage unknown.

#ifndef BOUNCE_SRC_CLASSIFY_RULE_TABLE_HPP_
#define BOUNCE_SRC_CLASSIFY_RULE_TABLE_HPP_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bounce/taxonomy.hpp"

namespace bounce::rules {

/// What a rule concludes. bounce_type nullopt = "by class".
struct Verdict {
  Reason reason = Reason::unknown;
  std::optional<BounceType> bounce_type;
  bool suppress = false;
  Action action = Action::investigate;
  Stage stage = Stage::unknown;
  std::string detail;
};

/// A text-pattern rule (patterns.tsv and user rules).
struct PatternRule {
  std::string id;
  std::uint32_t providers = 0;  ///< bit (1 << Provider) per provider; 0 = any provider
  int klass = 0;                ///< 0 = any class, else 2/4/5
  std::string pattern;          ///< RE2 syntax, matched case-insensitively
  Verdict verdict;
  std::string source;
};

/// A row of the enhanced-code or reply-code table.
struct CodeRule {
  std::string id;
  Verdict verdict;
  std::string source;
};

/// Enhanced codes keyed by subject * 1000 + detail (class-independent, "X.S.D").
using EnhancedTable = std::unordered_map<int, CodeRule>;
/// Reply codes keyed by code (550), plus class rows keyed 2, 4, 5 ("4xx").
using ReplyTable = std::unordered_map<int, CodeRule>;

/// Hashes std::string and std::string_view alike, so lookups need no copy.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
using SuffixMap = std::unordered_map<std::string, Provider, StringHash, std::equal_to<>>;

/// Host and domain suffixes, and text signatures, that identify a provider.
struct ProviderTable {
  SuffixMap host_suffixes;
  SuffixMap domain_suffixes;
  std::vector<std::pair<Provider, std::string>> text_signatures;  ///< RE2 patterns
};

/// Parsers; `name` appears in error messages. All throw RuleError.
std::vector<PatternRule> parse_pattern_rules(std::string_view name, std::string_view text);
EnhancedTable parse_enhanced_table(std::string_view name, std::string_view text);
ReplyTable parse_reply_table(std::string_view name, std::string_view text);
ProviderTable parse_provider_table(std::string_view name, std::string_view text);

/// User rules: JSON (an array of objects, or {"rules": [...]}, with the same
/// keys as the TSV columns) when the text starts with '[' or '{', else TSV.
std::vector<PatternRule> parse_user_rules(std::string_view name, std::string_view text);

/// The built-in tables, compiled into the library from libbounce/rules/*.tsv.
std::string_view builtin_patterns() noexcept;
std::string_view builtin_enhanced_codes() noexcept;
std::string_view builtin_reply_codes() noexcept;
std::string_view builtin_providers() noexcept;

}  // namespace bounce::rules

#endif  // BOUNCE_SRC_CLASSIFY_RULE_TABLE_HPP_
