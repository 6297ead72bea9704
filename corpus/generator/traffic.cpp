// The traffic model; see traffic.hpp.

#include "traffic.hpp"

namespace bounce::corpus {
namespace {

const Provider kProviders[] = {
    {"gmail.com", "gmail-smtp-in.l.google.com", "142.250.102.27",
     "250 2.0.0 OK  1751698321 5b1f17b1804b1-453a2e7c1f0si1022415e9.87 - gsmtp", 0.35, false},
    {"outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.68.3",
     "250 2.6.0 <msg@example.com> [InternalId=1] Queued mail for delivery", 0.12, false},
    {"hotmail.com", "hotmail-com.olc.protection.outlook.com", "52.101.68.4",
     "250 2.6.0 <msg@example.com> [InternalId=2] Queued mail for delivery", 0.08, false},
    {"yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72", "250 ok dirdel", 0.15, false},
    {"icloud.com", "mx01.mail.icloud.com", "17.57.154.33", "250 2.0.0 Ok: queued as 4bYxYZ1k2Fz9",
     0.05, false},
    {"example.org", "mx.example.org", "198.51.100.60", "250 2.0.0 Ok: queued as 9F4C21A07B", 0.15,
     true},
    {"example.net", "mx2.example.net", "203.0.113.141", "250 OK id=1uY0aB-0007Qz-3T", 0.10, true},
};

// Unknown-user replies per provider (index into kProviders).
const Failure kUnknownUser[] = {
    {"5.1.1",
     "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
     "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
     "Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser "
     "5b1f17b1804b1-453a2e7c1f0si1022415e9.87 - gsmtp",
     "RCPT TO", "user_unknown", "user_unknown"},
    {"5.5.0",
     "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
     "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
     "RCPT TO", "user_unknown", "user_unknown"},
    {"5.5.0",
     "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
     "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
     "RCPT TO", "user_unknown", "user_unknown"},
    {"5.0.0",
     "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - "
     "mta1234.mail.ne1.yahoo.com",
     "end of DATA", "user_unknown", "unknown"},
    {"5.1.1", "550 5.1.1 <someone@icloud.com>: unknown or illegal alias: someone@icloud.com",
     "RCPT TO", "user_unknown", "user_unknown"},
    {"5.1.1",
     "550 5.1.1 <someone@example.org>: Recipient address rejected: User unknown in virtual mailbox "
     "table",
     "RCPT TO", "user_unknown", "user_unknown"},
    {"5.1.1",
     "550 5.1.1 <someone@example.net>: Recipient address rejected: User unknown in local recipient "
     "table",
     "RCPT TO", "user_unknown", "user_unknown"},
};
const Failure kGreylist = {"4.7.1",
                           "450 4.7.1 <someone@example.org>: Recipient address rejected: "
                           "Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
                           "RCPT TO", "greylisted", "greylisted"};
const Failure kDmarc = {"5.7.26",
                        "550-5.7.26 Unauthenticated email from example.com is not accepted due to "
                        "domain's 550 5.7.26 DMARC policy. Please contact the administrator of "
                        "example.com domain if this was a legitimate mail. - gsmtp",
                        "end of DATA", "auth_failure", "auth_failure"};
const Failure kSpamhaus = {"5.7.1",
                           "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using "
                           "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10",
                           "RCPT TO", "blocklisted", "policy_violation"};
const Failure kTss04 = {
    "4.7.0",
    "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or "
    "user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "MAIL FROM", "rate_limited", "rate_limited"};

constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kSpikeStart = 10 * kHour;  // the spike hour, from the log's start

std::vector<double> provider_weights() {
  std::vector<double> w;
  for (const auto& p : kProviders) w.push_back(p.weight);
  return w;
}

}  // namespace

std::string GroundTruth::to_json() const {
  std::string s = "{\n  \"format\": \"" + format +
                  "\",\n  \"view\": \"final\",\n  \"messages\": " + std::to_string(messages) +
                  ",\n  \"records\": " + std::to_string(records);
  for (const auto& [name, map] :
       {std::pair{"by_outcome", &by_outcome}, std::pair{"by_reason", &by_reason},
        std::pair{"by_domain", &by_domain}}) {
    s += ",\n  \"" + std::string(name) + "\": {";
    bool first = true;
    for (const auto& [k, v] : *map) {
      s += (first ? "\"" : ", \"") + k + "\": " + std::to_string(v);
      first = false;
    }
    s += "}";
  }
  return s + "\n}\n";
}

Traffic::Traffic(Options options, GroundTruth& truth)
    : o_(options), truth_(truth), rng_(options.seed) {
  const auto w = provider_weights();
  pick_provider_ = std::discrete_distribution<std::size_t>(w.begin(), w.end());
}

bool Traffic::chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

void Traffic::count(const std::string& outcome, const std::string& reason) {
  ++truth_.records;
  ++truth_.by_outcome[outcome];
  ++truth_.by_reason[reason];
}

Message Traffic::next() {
  // Exponential inter-arrival times at the configured rate; six times that in
  // the spike hour.
  const bool spike = o_.scenarios.yahoo_spike && now_ >= kSpikeStart && now_ < kSpikeStart + kHour;
  const double rate_per_ms = o_.messages_per_hour * (spike ? 6 : 1) / 3.6e6;
  now_ += 1 + static_cast<std::int64_t>(std::exponential_distribution<double>(rate_per_ms)(rng_));
  ++truth_.messages;
  Message m;
  m.serial = ++serial_;
  m.time_ms = now_;
  m.app = static_cast<int>(rng_() % 4) + 1;
  m.sender = m.app == 4 ? "newsletter@example.com" : "notifications@example.com";
  m.size = 2000 + rng_() % 60000;
  const unsigned r = static_cast<unsigned>(rng_() % 20);
  const int nrcpt = r == 0 ? 3 : r == 1 ? 2 : 1;
  m.done_ms = now_ + 20;
  for (int k = 0; k < nrcpt; ++k) {
    const std::size_t p = pick_provider_(rng_);
    Recipient rcpt;
    rcpt.provider = &kProviders[p];
    rcpt.address = "user" + std::to_string(rng_() % 5000000) + "@" + rcpt.provider->domain;
    ++truth_.by_domain[rcpt.provider->domain];
    attempts(rcpt, p, now_, now_ + 300 + static_cast<std::int64_t>(rng_() % 1500));
    m.done_ms = std::max(m.done_ms, rcpt.attempts.back().time_ms + 5);
    m.recipients.push_back(std::move(rcpt));
  }
  return m;
}

// One recipient's attempts from time t: permanent problems first (the
// scenario's, then the baseline's), else temporary ones retried until delivered.
void Traffic::attempts(Recipient& r, std::size_t p, std::int64_t t0, std::int64_t t) {
  const Scenarios& sc = o_.scenarios;
  const auto bounce = [&](const Failure& f) {
    r.attempts.push_back({t, &f, true});
    count("bounced", o_.bounce_reply_logged ? f.reason : f.reason_from_dsn);
  };
  if (sc.dmarc_google && p == 0 && chance(0.25)) return bounce(kDmarc);
  if (sc.spamhaus && r.provider->custom && chance(0.3)) return bounce(kSpamhaus);
  if (chance(sc.stale_list ? 0.08 : 0.004)) return bounce(kUnknownUser[p]);
  const bool after_spike = t0 >= kSpikeStart && t0 < kSpikeStart + 4 * kHour;
  if (sc.yahoo_spike && after_spike && p == 3 && chance(0.6)) {
    for (int deferrals = 0; deferrals < 2; ++deferrals) {
      r.attempts.push_back({t, &kTss04, false});
      t += 20 * 60 * 1000 + static_cast<std::int64_t>(rng_() % 600000);
    }
  } else if (r.provider->custom && chance(0.02)) {
    r.attempts.push_back({t, &kGreylist, false});
    t += 5 * 60 * 1000 + static_cast<std::int64_t>(rng_() % 300000);
  }
  r.attempts.push_back({t, nullptr, false});
  count("delivered", "delivered");
}

}  // namespace bounce::corpus
