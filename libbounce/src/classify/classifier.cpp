// The classifier engine: codes -> provider -> one RE2::Set pass over the
// normalised reply -> enhanced-code table -> reply-code defaults. See
// bounce/classifier.hpp for the contract and the precedence.

#include "bounce/classifier.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <atomic>
#include <charconv>
#include <fstream>
#include <sstream>

#include "bounce/error.hpp"
#include "classify/normalize.hpp"
#include "reply_cache.hpp"
#include "rule_table.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

// A pattern rule with its precedence: lower tier wins, then lower index.
struct RankedRule {
  rules::PatternRule rule;
  int tier;  // 0 user, 1 provider-specific built-in, 2 generic built-in
};

RE2::Options set_options() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(256 << 20);  // hundreds of patterns: the default 8 MiB DFA budget is too small
  return o;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read rule file '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Looks `name` and each of its parent domains up in a suffix table. On the
// hot path: lower-cases into a stack buffer and looks up views, no allocation.
std::optional<Provider> lookup_suffix(const rules::SuffixMap& table, std::string_view name) {
  name = trim(name);
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);  // "mx.example.com."
  char buf[256];
  if (name.empty() || name.size() > sizeof buf) return std::nullopt;
  for (std::size_t i = 0; i < name.size(); ++i) buf[i] = to_lower(name[i]);
  std::string_view rest(buf, name.size());
  while (!rest.empty()) {
    if (const auto it = table.find(rest); it != table.end()) return it->second;
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return std::nullopt;
}

// The provider answers for recent (remote host, recipient domain) pairs, per
// thread and per classifier: a log names a few hundred MX hosts over and over,
// and their suffix lookups (a hash per domain level) cost more than the rest
// of classifying a success. Direct-mapped; a collision replaces the entry.
struct ProviderMemo {
  struct Entry {
    std::uint64_t owner = 0;  // the classifier's id; 0 = empty
    std::string host, domain;
    Provider provider = Provider::unknown;
  };
  static constexpr std::size_t kEntries = 256;
  std::array<Entry, kEntries> entries;
};

std::atomic<std::uint64_t> next_classifier_id{1};

BounceType bounce_type_of_class(int klass) {
  switch (klass) {
    case 2:
      return BounceType::none;
    case 4:
      return BounceType::soft;
    case 5:
      return BounceType::hard;
    default:
      return BounceType::unknown;
  }
}

}  // namespace

struct Classifier::Impl {
  // The verdict of the generic success rule.
  Classification success(Provider provider, Stage stage, int reply_code,
                         EnhancedCode enh) const noexcept {
    Classification c;
    const rules::Verdict& v = success_rule->rule.verdict;
    c.bounce_type = v.bounce_type.value_or(BounceType::none);
    c.reason = v.reason;
    c.action = v.action;
    c.detail = v.detail;
    c.stage = stage != Stage::unknown ? stage : v.stage;
    c.provider = provider;
    c.rule = {success_rule->rule.id, success_rule->rule.source};
    c.reply_code = reply_code;
    c.enhanced = enh;
    return c;
  }

  rules::EnhancedTable enhanced;
  rules::ReplyTable replies;
  rules::ProviderTable providers;
  std::vector<RankedRule> patterns;
  RE2::Set pattern_set{set_options(), RE2::UNANCHORED};
  RE2::Set signature_set{set_options(), RE2::UNANCHORED};
  std::optional<ReplyCache> cache;
  bool has_user_rules = false;
  const RankedRule* success_rule = nullptr;  // the built-in verdict for any 2xx reply
  // Tells this classifier's entries in the per-thread provider memo from another's.
  const std::uint64_t id = next_classifier_id.fetch_add(1, std::memory_order_relaxed);

  void add_patterns(std::vector<rules::PatternRule> rules, bool user, std::string_view name) {
    for (auto& r : rules) {
      std::string error;
      if (pattern_set.Add(r.pattern, &error) < 0)
        throw RuleError(std::string(name), 0, "rule '" + r.id + "': bad pattern: " + error);
      const int tier = user ? 0 : (r.providers != 0 ? 1 : 2);
      patterns.push_back(RankedRule{std::move(r), tier});
    }
  }

  Provider identify_provider(const ClassifyContext& ctx) const {
    thread_local ProviderMemo memo;
    const std::uint64_t h = hash_text(ctx.recipient_domain, hash_text(ctx.remote_host));
    ProviderMemo::Entry& e = memo.entries[h % ProviderMemo::kEntries];
    if (e.owner == id && e.host == ctx.remote_host && e.domain == ctx.recipient_domain)
      return e.provider;
    const Provider p = lookup_provider(ctx);
    e.owner = id;
    e.host.assign(ctx.remote_host);
    e.domain.assign(ctx.recipient_domain);
    e.provider = p;
    return p;
  }

  Provider lookup_provider(const ClassifyContext& ctx) const {
    if (!trim(ctx.remote_host).empty()) {
      if (const auto p = lookup_suffix(providers.host_suffixes, ctx.remote_host)) return *p;
    }
    std::string_view domain = trim(ctx.recipient_domain);
    if (const std::size_t at = domain.rfind('@'); at != std::string_view::npos)
      domain.remove_prefix(at + 1);
    if (!domain.empty()) {
      if (const auto p = lookup_suffix(providers.domain_suffixes, domain)) return *p;
      if (const auto p = lookup_suffix(providers.host_suffixes, domain)) return *p;
    }
    return trim(ctx.remote_host).empty() && domain.empty() ? Provider::unknown : Provider::other;
  }

  Provider provider_from_text(std::string_view normalized) const {
    std::vector<int> hits;
    if (!signature_set.Match(re2::StringPiece(normalized.data(), normalized.size()), &hits))
      return Provider::unknown;
    int best = hits.front();
    for (int h : hits) best = std::min(best, h);
    return providers.text_signatures[static_cast<std::size_t>(best)].first;
  }

  // The best pattern rule for this subject, or nullptr.
  const RankedRule* match_pattern(std::string_view subject, Provider provider, int klass) const {
    std::vector<int> hits;
    if (!pattern_set.Match(re2::StringPiece(subject.data(), subject.size()), &hits)) return nullptr;
    const RankedRule* best = nullptr;
    int best_index = 0;
    for (int h : hits) {
      const RankedRule& r = patterns[static_cast<std::size_t>(h)];
      if (r.rule.providers != 0 && !(r.rule.providers & (1u << static_cast<unsigned>(provider))))
        continue;
      if (r.rule.klass != 0 && r.rule.klass != klass) continue;
      // A success is a success: only user rules and success rules read a 2xx text.
      if (klass == 2 && r.tier != 0 && r.rule.klass != 2) continue;
      if (!best || r.tier < best->tier || (r.tier == best->tier && h < best_index)) {
        best = &r;
        best_index = h;
      }
    }
    return best;
  }

  Classification decide(int reply_code, EnhancedCode enh, std::string_view subject,
                        Stage phase_stage, Provider provider) const {
    const int klass = enh.valid() ? enh.klass : reply_class(reply_code);
    const rules::Verdict* verdict = nullptr;
    RuleRef ref;
    if (const RankedRule* r = match_pattern(subject, provider, klass)) {
      verdict = &r->rule.verdict;
      ref = {r->rule.id, r->rule.source};
    }
    const auto from_table = [&](const rules::CodeRule& row) {
      verdict = &row.verdict;
      ref = {row.id, row.source};
    };
    if (!verdict && enh.valid() && !(enh.generic() && reply_code != 0)) {
      auto it = enhanced.find(enh.subject * 1000 + enh.detail);
      if (it == enhanced.end()) it = enhanced.find(enh.subject * 1000);
      if (it != enhanced.end()) from_table(it->second);
    }
    if (!verdict && reply_code != 0) {
      auto it = replies.find(reply_code);
      if (it == replies.end()) it = replies.find(reply_class(reply_code));
      if (it != replies.end()) from_table(it->second);
    }
    if (!verdict && klass != 0) {
      if (const auto it = replies.find(klass); it != replies.end()) from_table(it->second);
    }

    Classification c;
    c.provider = provider;
    c.reply_code = reply_code;
    c.enhanced = enh;
    if (!verdict) {
      c.rule = {"none", "no code and no matching pattern"};
      c.stage = phase_stage;
      return c;
    }
    const rules::Verdict& v = *verdict;
    c.rule = ref;
    c.reason = v.reason;
    c.detail = v.detail;
    c.bounce_type = v.bounce_type ? *v.bounce_type : bounce_type_of_class(klass);
    c.suppress_recipient = v.suppress && c.bounce_type == BounceType::hard;
    c.action = v.action;
    // A temporary address failure ("450 4.1.1 unverified address") is retried, not suppressed.
    if (c.action == Action::suppress_recipient && !c.suppress_recipient &&
        is_address_problem(v.reason))
      c.action = Action::retry;
    c.stage = phase_stage != Stage::unknown ? phase_stage : v.stage;
    return c;
  }
};

Classifier::Classifier(ClassifierOptions options) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.enhanced =
      rules::parse_enhanced_table("rules/enhanced_codes.tsv", rules::builtin_enhanced_codes());
  m.replies = rules::parse_reply_table("rules/reply_codes.tsv", rules::builtin_reply_codes());
  m.providers = rules::parse_provider_table("rules/providers.tsv", rules::builtin_providers());
  for (const auto& file : options.rule_files)
    m.add_patterns(rules::parse_user_rules(file, read_file(file)), true, file);
  for (const auto& t : options.rule_texts)
    m.add_patterns(rules::parse_user_rules(t.name, t.text), true, t.name);
  m.add_patterns(rules::parse_pattern_rules("rules/patterns.tsv", rules::builtin_patterns()), false,
                 "rules/patterns.tsv");
  m.has_user_rules = !options.rule_files.empty() || !options.rule_texts.empty();
  for (const RankedRule& r : m.patterns)
    if (r.tier != 0 && r.rule.klass == 2 && r.rule.providers == 0) {
      m.success_rule = &r;
      break;
    }
  if (!m.success_rule)
    throw RuleError("rules/patterns.tsv", 0, "no generic rule for class 2 (success) replies");
  if (!m.pattern_set.Compile())
    throw RuleError("rules", 0, "the pattern set does not fit in RE2's memory budget");
  for (const auto& [provider, pattern] : m.providers.text_signatures) {
    std::string error;
    if (m.signature_set.Add(pattern, &error) < 0)
      throw RuleError("rules/providers.tsv", 0, "bad text signature '" + pattern + "': " + error);
  }
  if (!m.signature_set.Compile())
    throw RuleError("rules/providers.tsv", 0, "the signature set does not fit in memory");
  if (options.cache) m.cache.emplace(options.cache_capacity);
}

Classifier::~Classifier() = default;
Classifier::Classifier(Classifier&&) noexcept = default;
Classifier& Classifier::operator=(Classifier&&) noexcept = default;

Classification Classifier::classify_delivery(const ClassifyContext& context) const noexcept {
  return impl_->success(impl_->identify_provider(context), stage_from_phase(context.phase), 0,
                        EnhancedCode{});
}

Classification Classifier::classify(int reply_code, std::string_view enhanced_code,
                                    std::string_view text,
                                    const ClassifyContext& context) const noexcept {
  const Impl& m = *impl_;
  const ReplyParts parts = split_reply(text);
  // The code in the remote reply text wins; see the header for why.
  EnhancedCode enh = parts.enhanced;
  if (!enh.valid()) enh = EnhancedCode::parse(trim(enhanced_code)).value_or(EnhancedCode{});
  if (reply_class(reply_code) == 0) reply_code = parts.reply_code;
  const Stage phase_stage = stage_from_phase(context.phase);
  Provider provider = m.identify_provider(context);

  // Fast path for the commonest reply, a success from a known provider: the
  // slow path would reach the same success rule (2xx texts are read only by
  // user rules and success rules) without the normalisation and hashing.
  const int klass = enh.valid() ? enh.klass : reply_class(reply_code);
  if (klass == 2 && !m.has_user_rules && provider != Provider::unknown &&
      provider != Provider::other)
    return m.success(provider, phase_stage, reply_code, enh);

  // Subject = canonical codes + the normalised remaining text; it is both what
  // the patterns see and the cache key, so caching cannot change a verdict.
  // Built in this thread's buffer: a failure is classified without an
  // allocation once the buffer has grown (the cache copies a new key).
  thread_local std::string subject;
  subject.clear();
  char codes[16 + EnhancedCode::kMaxText];  // "550 5.65535.65535 "
  char* end = codes;
  if (reply_code != 0) {
    end = std::to_chars(end, codes + sizeof codes, reply_code).ptr;
    *end++ = ' ';
  }
  if (enh.valid()) {
    end = enh.write(end);
    *end++ = ' ';
  }
  subject.append(codes, end);
  append_normalized_reply(parts.text, subject);

  // The verdict is a function of (subject, stage, provider from the context);
  // a provider found from text signatures is part of that function, so it is
  // computed inside the cached step.
  const auto compute = [&] {
    Provider p = provider;
    if (p == Provider::unknown || p == Provider::other) {
      if (const Provider by_text = m.provider_from_text(subject); by_text != Provider::unknown)
        p = by_text;
    }
    return m.decide(reply_code, enh, subject, phase_stage, p);
  };
  if (!m.cache) return compute();

  std::string& key = subject;  // the subject becomes the key: no copy
  key += '\x1f';
  key += static_cast<char>('A' + static_cast<int>(phase_stage));
  key += static_cast<char>('A' + static_cast<int>(provider));
  const std::size_t hash = std::hash<std::string>{}(key);
  if (auto hit = m.cache->find(key, hash)) return *hit;
  key.resize(key.size() - 3);  // back to the subject for matching
  Classification c = compute();
  key += '\x1f';
  key += static_cast<char>('A' + static_cast<int>(phase_stage));
  key += static_cast<char>('A' + static_cast<int>(provider));
  m.cache->insert(key, hash, c);
  return c;
}

Provider Classifier::provider_for_host(std::string_view host) const noexcept {
  return impl_->identify_provider(ClassifyContext{.remote_host = host});
}

Provider Classifier::provider_for_domain(std::string_view domain_or_address) const noexcept {
  return impl_->identify_provider(ClassifyContext{.recipient_domain = domain_or_address});
}

std::size_t Classifier::pattern_count() const noexcept { return impl_->patterns.size(); }

}  // namespace bounce
