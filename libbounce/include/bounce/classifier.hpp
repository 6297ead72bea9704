// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/classifier.hpp - from an SMTP reply to a verdict.
//
// A Classifier turns (reply code, enhanced status code, text) plus optional
// context (SMTP phase, remote host, recipient domain) into a Classification:
// hard/soft, whether to suppress the recipient, the reason, the action, the
// stage, the mailbox provider, and the rule that decided.
//
// BASIC USE:
//
//   const bounce::Classifier classifier;   // built-in rules; build once, share
//   bounce::Classification c = classifier.classify(
//       "550 5.7.26 Unauthenticated email from example.com is not accepted "
//       "due to domain's DMARC policy. - gsmtp");
//   // c.bounce_type == BounceType::hard, c.reason == Reason::auth_failure,
//   // c.detail == "dmarc", c.suppress_recipient == false (the address is fine),
//   // c.action == Action::fix_authentication, c.provider == Provider::google,
//   // c.rule.id == "google.dmarc_policy"
//
// WITH CONTEXT (what a log parser knows):
//
//   bounce::ClassifyContext ctx;
//   ctx.phase = "in reply to RCPT TO command";
//   ctx.remote_host = "example-com.mail.protection.outlook.com";
//   auto c = classifier.classify(550, "5.1.10",
//       "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", ctx);
//   // c.reason == Reason::user_unknown (Microsoft's meaning of 5.1.10, not
//   // IANA's null MX), c.stage == Stage::rcpt_to, c.provider == microsoft_365
//
// HOW A VERDICT IS REACHED (deterministic; the most specific evidence wins):
//
//   1. Codes. The reply code and enhanced code are taken from the arguments,
//      and also looked for in the text (see split_reply). An enhanced code
//      found in the remote reply text wins over the one passed in, because
//      MTAs rewrite it (Postfix logs dsn=5.0.0 for a "552 4.2.2" reply); the
//      passed-in code is used when the text carries none.
//   2. Provider: from the remote host (MX) first, then the recipient domain,
//      then signatures in the text ("- gsmtp").
//   3. Text patterns, all matched in one RE2::Set pass over the normalised
//      reply. Of the matching rules, user rules win, then the identified
//      provider's own rules, then generic rules; ties go to the earlier rule.
//      (Another provider's rules never apply.)
//   4. Otherwise the enhanced code table (the full IANA registry).
//   5. Otherwise the reply-code defaults (the seed triage table: 421, 450, 451,
//      452, 535, 550-554), then the bare class (4xx soft, 5xx hard).
//   The bounce type follows the rule (e.g. mailbox_full is always soft) or
//   else the class of the enhanced code, else of the reply code. A recipient
//   is suppressed only for permanent address problems (user unknown, domain
//   not found, disabled, moved, invalid): a DMARC, reputation or blocklist
//   rejection never suppresses. (A complaint or a provider's suppression-list
//   drop asks to stop mailing the person - action suppress_recipient - but
//   says nothing bad about the address, so the flag stays false.)
//   The stage comes from the phase when given, else from the rule.
//
// COST AND CACHING: a verdict is a pure function of the reply with addresses,
// IP addresses, long ids and long numbers masked (see normalize_reply), and is
// cached under that normalised text. A repeated reply costs one normalisation
// pass and one hash lookup (well over a million per second per core); a new
// one costs one RE2::Set scan. The cache cannot change an answer, only its cost.
//
// THREAD SAFETY: a Classifier is immutable after construction (the cache is
// internally synchronised) and may be shared by any number of threads.
// Classification holds string_views into the Classifier: they stay valid as
// long as the Classifier that produced them.

#ifndef BOUNCE_CLASSIFIER_HPP_
#define BOUNCE_CLASSIFIER_HPP_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bounce/export.hpp"
#include "bounce/status_code.hpp"
#include "bounce/taxonomy.hpp"

namespace bounce {

/// What is known about the delivery attempt beside the reply. All optional.
struct ClassifyContext {
  /// The SMTP phase as logged: "in reply to RCPT TO command" (Postfix),
  /// "after RCPT TO:<x>" (Exim), "MAIL FROM", "end of DATA", "connect", ...
  std::string_view phase{};
  /// The remote MX host that answered, e.g. "gmail-smtp-in.l.google.com".
  std::string_view remote_host{};
  /// The recipient's domain; a whole address is accepted too.
  std::string_view recipient_domain{};
};

/// The rule that decided a verdict.
struct RuleRef {
  std::string_view id;      ///< e.g. "google.dmarc_policy", "iana.X.1.1", "reply.550"
  std::string_view source;  ///< where the fact comes from, e.g. "RFC 3463", "Google 3726730"
};

/// The verdict on one reply.
struct Classification {
  BounceType bounce_type = BounceType::unknown;
  /// True only when the recipient address itself should not be mailed again.
  bool suppress_recipient = false;
  Reason reason = Reason::unknown;
  Action action = Action::investigate;
  Stage stage = Stage::unknown;
  Provider provider = Provider::unknown;
  /// Refines the reason: "spf", "dkim", "dmarc" for auth_failure, the list
  /// ("spamhaus", "barracuda", ...) for blocklisted; empty otherwise.
  std::string_view detail;
  RuleRef rule;
  int reply_code = 0;     ///< the reply code used (0 = none)
  EnhancedCode enhanced;  ///< the enhanced code used (invalid = none)
};

/// Construction options.
struct ClassifierOptions {
  /// User rule files (TSV or JSON, by content); they take precedence over the
  /// built-in rules, earlier files first. See libbounce/rules/README.md.
  std::vector<std::string> rule_files;
  /// Rules given as text (TSV or JSON); `name` is used in error messages.
  struct RuleText {
    std::string name;
    std::string text;
  };
  std::vector<RuleText> rule_texts;
  /// Cache verdicts by normalised reply. Disable only to measure.
  bool cache = true;
  /// At most this many cached verdicts (the cache is cleared shard by shard
  /// when full, so memory stays bounded).
  std::size_t cache_capacity = 1 << 16;
};

/// Immutable, thread-safe SMTP reply classifier. See the file comment.
class BOUNCE_EXPORT Classifier {
 public:
  /// Compiles the built-in rules plus any user rules. Throws RuleError when a
  /// rule is invalid (naming the file and line) and InputError when a rule
  /// file cannot be read. Construction costs a few milliseconds: build one
  /// Classifier and share it.
  explicit Classifier(ClassifierOptions options = {});
  ~Classifier();
  Classifier(Classifier&&) noexcept;
  Classifier& operator=(Classifier&&) noexcept;
  Classifier(const Classifier&) = delete;
  Classifier& operator=(const Classifier&) = delete;

  /// Classifies a reply. reply_code 0 and an empty enhanced_code mean "not
  /// given" (they are then looked for in the text). An enhanced_code that is
  /// not a valid RFC 3463 code is ignored. Never throws.
  Classification classify(int reply_code, std::string_view enhanced_code, std::string_view text,
                          const ClassifyContext& context = {}) const noexcept;
  /// Classifies raw reply text, finding its codes in it.
  Classification classify(std::string_view text,
                          const ClassifyContext& context = {}) const noexcept {
    return classify(0, {}, text, context);
  }

  /// The verdict on a delivery that the log records without any reply (a
  /// local mailbox, pipe or file delivery, an Exchange DELIVER row): success,
  /// with no codes. Cheap: no pattern matching.
  Classification classify_delivery(const ClassifyContext& context = {}) const noexcept;

  /// The provider behind a remote host name, or behind a recipient domain
  /// (or address). unknown when empty, other when not in the provider table.
  Provider provider_for_host(std::string_view host) const noexcept;
  Provider provider_for_domain(std::string_view domain_or_address) const noexcept;

  /// Number of text-pattern rules compiled (built-in plus user).
  std::size_t pattern_count() const noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Maps a logged SMTP phase ("in reply to RCPT TO command", "after end of
/// data", "MAIL FROM", "connect to", "STARTTLS", "AUTH") to a Stage;
/// Stage::unknown when not recognised.
BOUNCE_EXPORT Stage stage_from_phase(std::string_view phase) noexcept;

/// The cache key the classifier uses: whitespace runs folded to one space,
/// e-mail addresses replaced by "{addr}", IPv4/IPv6 addresses by "{ip}",
/// tokens of 12+ characters with 3+ digits by "{id}", and numbers of 6+
/// digits by "{n}". Exposed so that users can group replies the same way.
BOUNCE_EXPORT std::string normalize_reply(std::string_view text);

}  // namespace bounce

#endif  // BOUNCE_CLASSIFIER_HPP_
