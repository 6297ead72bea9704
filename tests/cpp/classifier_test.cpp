#include "bounce/classifier.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "bounce/error.hpp"

namespace bounce {
namespace {

const Classifier& Shared() {
  static const Classifier c;
  return c;
}

// ---- The seed article's table: the defaults when nothing more is known. ----
struct SeedRow {
  int code;
  BounceType type;
  Reason reason;
  Action action;
};

class SeedTable : public testing::TestWithParam<SeedRow> {};

TEST_P(SeedTable, BareReplyCodeGivesTheTableDefault) {
  const SeedRow& row = GetParam();
  // A text with no recognisable words: only the code decides.
  const Classification c = Shared().classify(row.code, "", "xyzzy");
  EXPECT_EQ(c.bounce_type, row.type) << row.code;
  EXPECT_EQ(c.reason, row.reason) << row.code;
  EXPECT_EQ(c.action, row.action) << row.code;
  EXPECT_EQ(c.rule.id, "reply." + std::to_string(row.code));
  EXPECT_EQ(c.rule.source, "seed triage table");
}

INSTANTIATE_TEST_SUITE_P(
    Seed, SeedTable,
    testing::Values(
        SeedRow{421, BounceType::soft, Reason::remote_system_error, Action::retry},
        SeedRow{450, BounceType::soft, Reason::recipient_rate_limited, Action::retry_with_backoff},
        SeedRow{451, BounceType::soft, Reason::remote_system_error, Action::retry_with_backoff},
        SeedRow{452, BounceType::soft, Reason::remote_system_error, Action::retry_with_backoff},
        SeedRow{550, BounceType::hard, Reason::policy_violation, Action::investigate},
        SeedRow{551, BounceType::hard, Reason::address_moved, Action::suppress_recipient},
        SeedRow{552, BounceType::hard, Reason::message_too_big, Action::reduce_message_size},
        SeedRow{553, BounceType::hard, Reason::invalid_address, Action::suppress_recipient},
        SeedRow{554, BounceType::hard, Reason::policy_violation, Action::investigate},
        SeedRow{535, BounceType::hard, Reason::client_auth_failed,
                Action::fix_client_configuration}),
    [](const auto& p) { return "Code" + std::to_string(p.param.code); });

TEST(Classifier, SeedCode535IsOurCredentialsAtClientAuth) {
  const Classification c = Shared().classify("535 5.7.8 Authentication credentials invalid");
  EXPECT_EQ(c.reason, Reason::client_auth_failed);
  EXPECT_EQ(c.stage, Stage::client_auth);
  EXPECT_FALSE(c.suppress_recipient);
}

// ---- The conflicts classification.md names, each resolved on purpose. ----
TEST(Conflicts, Microsoft5110IsUnknownUserNotNullMx) {
  const Classification c = Shared().classify(
      550, "5.1.10", "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
      {.remote_host = "example-com.mail.protection.outlook.com"});
  EXPECT_EQ(c.reason, Reason::user_unknown);
  EXPECT_EQ(c.provider, Provider::microsoft_365);
  EXPECT_TRUE(c.suppress_recipient);
  // Without Microsoft's text, IANA's meaning of X.1.10 (null MX) applies.
  EXPECT_EQ(Shared().classify(550, "5.1.10", "xyzzy").reason, Reason::domain_not_found);
}

TEST(Conflicts, Google4728IsRateLimitNotMailFlood) {
  const Classification c = Shared().classify(
      "421 4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your "
      "IP Netblock. To protect our users from spam, mail has been temporarily rate limited. - "
      "gsmtp",
      {.remote_host = "gmail-smtp-in.l.google.com"});
  EXPECT_EQ(c.reason, Reason::rate_limited);
  EXPECT_EQ(c.bounce_type, BounceType::soft);
  EXPECT_EQ(c.action, Action::reduce_volume);
  EXPECT_FALSE(c.suppress_recipient);
  const Classification hard = Shared().classify(
      "550 5.7.28 There is an unusual rate of unsolicited mail originating from your IP address. - "
      "gsmtp");
  EXPECT_EQ(hard.reason, Reason::rate_limited);
  EXPECT_EQ(hard.bounce_type, BounceType::hard);
  EXPECT_EQ(hard.provider, Provider::google);
}

TEST(Conflicts, PermanentMailboxFullIsSoftAndNeverSuppresses) {
  for (const char* text : {"552 5.2.2 Mailbox full", "550 5.2.2 user is over quota",
                           "552 4.2.2 User has full mailbox."}) {
    const Classification c = Shared().classify(text);
    EXPECT_EQ(c.reason, Reason::mailbox_full) << text;
    EXPECT_EQ(c.bounce_type, BounceType::soft) << text;
    EXPECT_FALSE(c.suppress_recipient) << text;
    EXPECT_EQ(c.action, Action::retry) << text;
  }
}

TEST(Conflicts, PostfixDsn500WithReply552422UsesTheTextCode) {
  // Postfix logs dsn=5.0.0 for this reply: the remote's own 4.2.2 wins.
  const Classification c = Shared().classify(0, "5.0.0", "552 4.2.2 User has full mailbox.",
                                             {.phase = "in reply to RCPT TO command"});
  EXPECT_EQ(c.enhanced.to_string(), "4.2.2");
  EXPECT_EQ(c.reply_code, 552);
  EXPECT_EQ(c.reason, Reason::mailbox_full);
  EXPECT_EQ(c.stage, Stage::rcpt_to);
}

TEST(Conflicts, DmarcAndBlocklistRejectionsNeverSuppress) {
  for (const char* text :
       {"550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC "
        "policy. Please contact the administrator of example.com domain. - gsmtp",
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; "
        "https://www.spamhaus.org/query/ip/192.0.2.1",
        "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this "
        "list please visit https://sender.office.com/ and follow the directions.",
        "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in "
        "Spamhaus's list; see https://postmaster.yahooinc.com/error-codes",
        "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification"}) {
    const Classification c = Shared().classify(text);
    EXPECT_EQ(c.bounce_type, BounceType::hard) << text;
    EXPECT_FALSE(c.suppress_recipient) << text;
    EXPECT_TRUE(c.reason == Reason::auth_failure || c.reason == Reason::blocklisted) << text;
    EXPECT_NE(c.action, Action::suppress_recipient) << text;
  }
}

TEST(Classifier, DetailNamesTheFailingMechanismOrList) {
  EXPECT_EQ(Shared()
                .classify("550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked "
                          "using b.barracudacentral.org")
                .detail,
            "barracuda");
  EXPECT_EQ(Shared()
                .classify("550 5.7.23 The message was rejected because of Sender Policy "
                          "Framework violation")
                .detail,
            "spf");
}

// ---- Context: provider by host first, then domain; stage from the phase. ----
TEST(Context, ProviderFromHostThenDomainThenText) {
  const Classifier& c = Shared();
  EXPECT_EQ(c.provider_for_host("gmail-smtp-in.l.google.com"), Provider::google);
  EXPECT_EQ(c.provider_for_host("MTA7.AM0.YahooDNS.NET."), Provider::yahoo);
  EXPECT_EQ(c.provider_for_host("example-com.mail.protection.outlook.com"),
            Provider::microsoft_365);
  EXPECT_EQ(c.provider_for_host("example-com.olc.protection.outlook.com"), Provider::outlook);
  EXPECT_EQ(c.provider_for_host("mx1.example.org"), Provider::other);
  EXPECT_EQ(c.provider_for_host(""), Provider::unknown);
  EXPECT_EQ(c.provider_for_domain("someone@hotmail.co.uk"), Provider::outlook);
  EXPECT_EQ(c.provider_for_domain("aol.com"), Provider::yahoo);
  // A custom domain hosted at Google: the MX decides, not the domain.
  EXPECT_EQ(c.classify("550 5.1.1 no such user",
                       {.remote_host = "aspmx.l.google.com", .recipient_domain = "example.com"})
                .provider,
            Provider::google);
  EXPECT_EQ(c.classify("550 5.1.1 The email account that you tried to reach does not exist - gsmtp")
                .provider,
            Provider::google);
}

TEST(Context, ProviderRulesApplyOnlyToTheirProvider) {
  // "[TSS04]" is Yahoo's; from a Google MX the Yahoo rules do not apply. (From an
  // unidentified MX the signature itself identifies Yahoo.)
  const char* text =
      "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to "
      "unexpected volume or user complaints - 4.16.55.1";
  const Classification yahoo = Shared().classify(text, {.remote_host = "mta5.am0.yahoodns.net"});
  EXPECT_EQ(yahoo.rule.id, "yahoo.complaints_volume");
  EXPECT_EQ(yahoo.reason, Reason::rate_limited);
  const Classification google = Shared().classify(text, {.remote_host = "aspmx.l.google.com"});
  EXPECT_EQ(google.provider, Provider::google);
  EXPECT_EQ(google.rule.id, "generic.rate_limited");
  const Classification unidentified = Shared().classify(text, {.remote_host = "mx.example.org"});
  EXPECT_EQ(unidentified.provider, Provider::yahoo);
}

TEST(Context, StageFromPhase) {
  EXPECT_EQ(stage_from_phase("in reply to RCPT TO command"), Stage::rcpt_to);
  EXPECT_EQ(stage_from_phase("in reply to end of DATA command"), Stage::after_data);
  EXPECT_EQ(stage_from_phase("after end of data"), Stage::after_data);
  EXPECT_EQ(stage_from_phase("after RCPT TO:<a@example.com>"), Stage::rcpt_to);
  EXPECT_EQ(stage_from_phase("in reply to MAIL FROM command"), Stage::mail_from);
  EXPECT_EQ(stage_from_phase("after pipelined MAIL FROM:<a@example.com> SIZE=1"), Stage::mail_from);
  EXPECT_EQ(stage_from_phase("DATA"), Stage::data);
  EXPECT_EQ(stage_from_phase("while receiving the initial server greeting"), Stage::connection);
  EXPECT_EQ(stage_from_phase("STARTTLS"), Stage::tls);
  EXPECT_EQ(stage_from_phase("AUTH"), Stage::client_auth);
  EXPECT_EQ(stage_from_phase(""), Stage::unknown);
  EXPECT_EQ(stage_from_phase("whatever"), Stage::unknown);
  const Classification c = Shared().classify("550 5.1.1 user unknown", {.phase = "RCPT TO"});
  EXPECT_EQ(c.stage, Stage::rcpt_to);
}

TEST(Classifier, SoftAddressFailureIsRetriedNotSuppressed) {
  const Classification c = Shared().classify(
      "450 4.1.1 <a@example.com>: Recipient address rejected: unverified address");
  EXPECT_EQ(c.bounce_type, BounceType::soft);
  EXPECT_FALSE(c.suppress_recipient);
  EXPECT_EQ(c.action, Action::retry);
}

TEST(Classifier, SuccessIsDelivered) {
  const Classification c = Shared().classify("250 2.0.0 OK 1329130645 b5si5289243lbn.22 - gsmtp");
  EXPECT_EQ(c.reason, Reason::delivered);
  EXPECT_EQ(c.bounce_type, BounceType::none);
  EXPECT_EQ(c.action, Action::none);
}

TEST(Classifier, NothingKnownIsUnknown) {
  const Classification c = Shared().classify("");
  EXPECT_EQ(c.reason, Reason::unknown);
  EXPECT_EQ(c.bounce_type, BounceType::unknown);
  EXPECT_EQ(c.rule.id, "none");
}

TEST(Classifier, InvalidEnhancedArgumentIsIgnored) {
  const Classification c = Shared().classify(550, "9.9.9", "xyzzy");
  EXPECT_FALSE(c.enhanced.valid());
  EXPECT_EQ(c.rule.id, "reply.550");
}

// ---- User rules ----
TEST(UserRules, TsvRulesTakePrecedence) {
  ClassifierOptions o;
  o.rule_texts.push_back({"inline.tsv",
                          "id\tpattern\treason\taction\tdetail\n"
                          "acme.quota\tACME-Q\\d+\tmailbox_full\tretry_with_backoff\tacme\n"});
  const Classifier c(o);
  const Classification v = c.classify("550 5.1.1 user unknown ACME-Q17");
  EXPECT_EQ(v.rule.id, "acme.quota");
  EXPECT_EQ(v.rule.source, "inline.tsv");
  EXPECT_EQ(v.reason, Reason::mailbox_full);
  EXPECT_EQ(v.action, Action::retry_with_backoff);
  EXPECT_EQ(v.detail, "acme");
  EXPECT_EQ(c.pattern_count(), Shared().pattern_count() + 1);
}

TEST(UserRules, JsonRulesLoadFromAFile) {
  const std::string path = testing::TempDir() + "/rules.json";
  std::ofstream(path) << R"({"rules": [{"id": "corp.vacation", "pattern": "gone fishing",
      "reason": "auto_reply", "bounce_type": "none", "provider": "any", "class": "*"}]})";
  ClassifierOptions o;
  o.rule_files = {path};
  const Classifier c(o);
  const Classification v = c.classify("550 gone fishing until Monday");
  EXPECT_EQ(v.rule.id, "corp.vacation");
  EXPECT_EQ(v.reason, Reason::auto_reply);
  EXPECT_EQ(v.bounce_type, BounceType::none);
}

TEST(UserRules, BadRuleIsAnErrorNamingFileAndLine) {
  ClassifierOptions o;
  o.rule_texts.push_back({"mine.tsv",
                          "id\tpattern\treason\n# comment\nok\tx\tmailbox_full\n"
                          "bad\ty\tusr_unknown\n"});
  try {
    const Classifier c(o);
    FAIL() << "expected RuleError";
  } catch (const RuleError& e) {
    EXPECT_EQ(e.file(), "mine.tsv");
    EXPECT_EQ(e.line(), 4u);
    EXPECT_NE(std::string(e.what()).find("usr_unknown"), std::string::npos) << e.what();
  }
  for (const char* text :
       {"id\tpattern\treason\nx\t(unclosed\tmailbox_full\n",
        "id\tpatern\treason\nx\ty\tmailbox_full\n", "[{\"id\": 1",
        "[{\"id\":\"x\",\"pattern\":\"y\",\"reason\":\"mailbox_full\",\"colour\":\"red\"}]",
        "id\tpattern\treason\tsuppress\nx\ty\tmailbox_full\tmaybe\n"}) {
    ClassifierOptions bad;
    bad.rule_texts.push_back({"bad", text});
    EXPECT_THROW(Classifier{bad}, RuleError) << text;
  }
  ClassifierOptions missing;
  missing.rule_files = {"/nonexistent/rules.tsv"};
  EXPECT_THROW(Classifier{missing}, InputError);
}

// ---- The cache must not change any answer. ----
TEST(Cache, SameAnswersWithAndWithoutCache) {
  ClassifierOptions no_cache;
  no_cache.cache = false;
  const Classifier uncached(no_cache);
  const char* replies[] = {
      "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown",
      "550 5.1.1 <b@example.com>: Recipient address rejected: User unknown",
      "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred",
      "421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred",
      "552 4.2.2 User has full mailbox.",
  };
  for (int round = 0; round < 3; ++round) {
    for (const char* r : replies) {
      for (const ClassifyContext& ctx :
           {ClassifyContext{}, ClassifyContext{.remote_host = "mta5.am0.yahoodns.net"},
            ClassifyContext{.phase = "end of DATA"}}) {
        const Classification a = Shared().classify(r, ctx), b = uncached.classify(r, ctx);
        EXPECT_EQ(a.reason, b.reason) << r;
        EXPECT_EQ(a.provider, b.provider) << r;
        EXPECT_EQ(a.stage, b.stage) << r;
        EXPECT_EQ(a.rule.id, b.rule.id) << r;
        EXPECT_EQ(a.bounce_type, b.bounce_type) << r;
      }
    }
  }
}

TEST(Cache, BoundedCapacityStillAnswers) {
  ClassifierOptions tiny;
  tiny.cache_capacity = 4;
  const Classifier c(tiny);
  for (int i = 0; i < 200; ++i) {
    const std::string text = "550 5.1.1 user unknown variant " + std::to_string(i);
    EXPECT_EQ(c.classify(text).reason, Reason::user_unknown);
  }
}

TEST(Classifier, ConcurrentUseGivesTheSameAnswers) {
  const std::vector<std::string> replies = {
      "550 5.1.1 user unknown", "421 4.7.28 unusual rate of unsolicited mail - gsmtp",
      "554 5.7.1 blocked using zen.spamhaus.org", "452 4.2.2 mailbox full",
      "451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP "
      "reputation."};
  std::vector<Reason> expected;
  for (const auto& r : replies) expected.push_back(Shared().classify(r).reason);
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        const std::size_t k = static_cast<std::size_t>(i) % replies.size();
        if (Shared().classify(replies[k] + " " + std::to_string(i % 7)).reason != expected[k])
          ++mismatches;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace bounce
