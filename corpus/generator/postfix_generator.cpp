// The Postfix log generator; see postfix_generator.hpp.

#include "postfix_generator.hpp"

#include <cstdio>
#include <queue>
#include <random>
#include <vector>

namespace bounce::corpus {
namespace {

struct Provider {
  const char* domain;
  const char* mx;
  const char* ip;
  const char* ok_reply;
  double weight;
  bool custom;  ///< a company domain on its own MX (where the Spamhaus listing bites)
};

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

// A failure reply and the verdict the classifier must reach for it.
struct Failure {
  const char* dsn;
  const char* text;
  const char* phase;
  const char* reason;
};

// Unknown-user replies per provider (index into kProviders).
const Failure kUnknownUser[] = {
    {"5.1.1",
     "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
     "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
     "Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser "
     "5b1f17b1804b1-453a2e7c1f0si1022415e9.87 - gsmtp",
     "RCPT TO", "user_unknown"},
    {"5.5.0",
     "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
     "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
     "RCPT TO", "user_unknown"},
    {"5.5.0",
     "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
     "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
     "RCPT TO", "user_unknown"},
    {"5.0.0",
     "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - "
     "mta1234.mail.ne1.yahoo.com",
     "end of DATA", "user_unknown"},
    {"5.1.1", "550 5.1.1 <someone@icloud.com>: unknown or illegal alias: someone@icloud.com",
     "RCPT TO", "user_unknown"},
    {"5.1.1",
     "550 5.1.1 <someone@example.org>: Recipient address rejected: User unknown in virtual mailbox "
     "table",
     "RCPT TO", "user_unknown"},
    {"5.1.1",
     "550 5.1.1 <someone@example.net>: Recipient address rejected: User unknown in local recipient "
     "table",
     "RCPT TO", "user_unknown"},
};
const Failure kGreylist = {"4.7.1",
                           "450 4.7.1 <someone@example.org>: Recipient address rejected: "
                           "Greylisted, see http://postgrey.schweikert.ch/help/example.org.html",
                           "RCPT TO", "greylisted"};
const Failure kDmarc = {"5.7.26",
                        "550-5.7.26 Unauthenticated email from example.com is not accepted due to "
                        "domain's 550 5.7.26 DMARC policy. Please contact the administrator of "
                        "example.com domain if this was a legitimate mail. - gsmtp",
                        "end of DATA", "auth_failure"};
const Failure kSpamhaus = {"5.7.1",
                           "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using "
                           "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.10",
                           "RCPT TO", "blocklisted"};
const Failure kTss04 = {
    "4.7.0",
    "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or "
    "user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "MAIL FROM", "rate_limited"};

struct Line {
  std::int64_t time_ms;
  std::uint64_t seq;
  std::string text;
  bool operator>(const Line& o) const {
    return time_ms != o.time_ms ? time_ms > o.time_ms : seq > o.seq;
  }
};

constexpr std::int64_t kHour = 3600 * 1000;
constexpr std::int64_t kSpikeStart = 10 * kHour;  // the spike hour, from the log's start

}  // namespace

std::string GroundTruth::to_json() const {
  std::string s = "{\n  \"format\": \"postfix\",\n  \"view\": \"final\",\n  \"messages\": " +
                  std::to_string(messages) + ",\n  \"records\": " + std::to_string(records);
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

struct PostfixGenerator::Impl {
  const Options& o;
  GroundTruth& truth;
  std::mt19937_64 rng;
  std::vector<double> weights;
  std::priority_queue<Line, std::vector<Line>, std::greater<Line>> pending;
  std::uint64_t seq = 0, qid_counter = 0;

  Impl(const Options& opt, GroundTruth& t) : o(opt), truth(t), rng(opt.seed) {
    for (const auto& p : kProviders) weights.push_back(p.weight);
  }

  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

  void add(std::int64_t t, std::string text) { pending.push(Line{t, seq++, std::move(text)}); }

  // Classic syslog timestamp: the log starts 2025-07-05 06:00:00 on host mx1.
  static void stamp(std::string& buf, std::int64_t ms) {
    static const char* kMonth[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::int64_t s = ms / 1000 + 6 * 3600;
    int month = 6, day = 5;
    for (std::int64_t days = s / 86400; days > 0; --days)
      if (++day > kDays[month]) day = 1, month = (month + 1) % 12;
    s %= 86400;
    char head[64];
    std::snprintf(head, sizeof head, "%s %2d %02d:%02d:%02d mx1 ", kMonth[month], day,
                  static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                  static_cast<int>(s % 60));
    buf += head;
  }

  std::string qid() {
    char b[16];
    std::snprintf(b, sizeof b, "%010llX",
                  static_cast<unsigned long long>((++qid_counter * 0x9E3779B97F4A7C15ull) >> 24) &
                      0xFFFFFFFFFFull);
    return b;
  }

  std::string pid(const char* daemon) {
    return std::string("postfix/") + daemon + "[" + std::to_string(1000 + rng() % 60000) + "]: ";
  }

  void count(const std::string& outcome, const std::string& reason) {
    ++truth.records;
    ++truth.by_outcome[outcome];
    ++truth.by_reason[reason];
  }

  std::string delivery(const std::string& q, const std::string& rcpt, const Provider& pv,
                       const char* dsn, const std::string& status, const std::string& text,
                       std::int64_t delay_ms) {
    return pid("smtp") + q + ": to=<" + rcpt + ">, relay=" + pv.mx + "[" + pv.ip +
           "]:25, delay=" + std::to_string(delay_ms / 1000) + "." +
           std::to_string(delay_ms / 100 % 10) + ", delays=0.01/0/0.3/0.2, dsn=" + dsn +
           ", status=" + status + " (" + text + ")";
  }

  std::string said(const Provider& pv, const Failure& f) {
    return std::string("host ") + pv.mx + "[" + pv.ip + "] said: " + f.text + " (in reply to " +
           f.phase + " command)";
  }

  void message(std::int64_t t0) {
    ++truth.messages;
    const std::string q = qid();
    const int app = static_cast<int>(rng() % 4) + 1;
    const std::string client =
        "app" + std::to_string(app) + ".example.com[192.0.2." + std::to_string(20 + app) + "]";
    const std::string sender = app == 4 ? "newsletter@example.com" : "notifications@example.com";
    add(t0, pid("smtpd") + "connect from " + client);
    add(t0 + 5, pid("smtpd") + q + ": client=" + client);
    add(t0 + 9, pid("cleanup") + q + ": message-id=<" + q + "." + std::to_string(t0) + "@app" +
                    std::to_string(app) + ".example.com>");
    const unsigned r = static_cast<unsigned>(rng() % 20);
    const int nrcpt = r == 0 ? 3 : r == 1 ? 2 : 1;
    add(t0 + 12, pid("qmgr") + q + ": from=<" + sender +
                     ">, size=" + std::to_string(2000 + rng() % 60000) +
                     ", nrcpt=" + std::to_string(nrcpt) + " (queue active)");
    add(t0 + 14, pid("smtpd") + "disconnect from " + client +
                     " ehlo=1 mail=1 rcpt=" + std::to_string(nrcpt) + " data=1 quit=1 commands=5");
    if (rng() % 20 == 0)
      add(t0 + 13, "amavis[" + std::to_string(rng() % 9000) + "]: (" +
                       std::to_string(rng() % 99999) +
                       "-01) Passed CLEAN {RelayedOutbound}, [192.0.2.21] <" + sender +
                       "> -> <someone@example.org>");
    std::int64_t last = t0 + 20;
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    for (int k = 0; k < nrcpt; ++k) {
      const std::size_t p = pick(rng);
      const Provider& pv = kProviders[p];
      const std::string rcpt = "user" + std::to_string(rng() % 5000000) + "@" + pv.domain;
      ++truth.by_domain[pv.domain];
      std::int64_t t = t0 + 300 + static_cast<std::int64_t>(rng() % 1500);
      last = std::max(last, recipient(q, rcpt, pv, p, t0, t) + 5);
    }
    add(last, pid("qmgr") + q + ": removed");
  }

  // One recipient's attempts; returns the time of the last one.
  std::int64_t recipient(const std::string& q, const std::string& rcpt, const Provider& pv,
                         std::size_t p, std::int64_t t0, std::int64_t t) {
    const Scenarios& sc = o.scenarios;
    const auto bounce = [&](const Failure& f) {
      add(t, delivery(q, rcpt, pv, f.dsn, "bounced", said(pv, f), t - t0));
      count("bounced", f.reason);
      return t;
    };
    // Permanent problems first: the scenario's, then the baseline's.
    if (sc.dmarc_google && p == 0 && chance(0.25)) return bounce(kDmarc);
    if (sc.spamhaus && pv.custom && chance(0.3)) return bounce(kSpamhaus);
    if (chance(sc.stale_list ? 0.08 : 0.004)) return bounce(kUnknownUser[p]);
    // Temporary problems, retried until delivered.
    const bool after_spike = t0 >= kSpikeStart && t0 < kSpikeStart + 4 * kHour;
    int deferrals = 0;
    if (sc.yahoo_spike && after_spike && p == 3 && chance(0.6)) {
      for (deferrals = 0; deferrals < 2; ++deferrals) {
        add(t, delivery(q, rcpt, pv, kTss04.dsn, "deferred", said(pv, kTss04), t - t0));
        t += 20 * 60 * 1000 + static_cast<std::int64_t>(rng() % 600000);
      }
    } else if (pv.custom && chance(0.02)) {
      add(t, delivery(q, rcpt, pv, kGreylist.dsn, "deferred", said(pv, kGreylist), t - t0));
      t += 5 * 60 * 1000 + static_cast<std::int64_t>(rng() % 300000);
    }
    add(t, delivery(q, rcpt, pv, "2.0.0", "sent", pv.ok_reply, t - t0));
    count("delivered", "delivered");
    return t;
  }

  void run(const std::function<void(std::string_view)>& out) {
    std::int64_t now = 0;
    std::uint64_t written = 0, messages = 0;
    std::string buf;
    const auto more = [&] {
      return o.bytes ? written + buf.size() < o.bytes : messages < (o.messages ? o.messages : 1000);
    };
    bool producing = true;
    while (producing || !pending.empty()) {
      producing = producing && more();
      if (producing) {
        // Exponential inter-arrival times at the configured rate; six times that
        // in the spike hour.
        const bool spike =
            o.scenarios.yahoo_spike && now >= kSpikeStart && now < kSpikeStart + kHour;
        const double rate_per_ms = o.messages_per_hour * (spike ? 6 : 1) / 3.6e6;
        now +=
            1 + static_cast<std::int64_t>(std::exponential_distribution<double>(rate_per_ms)(rng));
        message(now);
        ++messages;
      }
      const std::int64_t horizon = producing ? now : INT64_MAX;
      while (!pending.empty() && pending.top().time_ms <= horizon) {
        stamp(buf, pending.top().time_ms);
        buf += pending.top().text;
        buf += '\n';
        pending.pop();
      }
      if (buf.size() > (1u << 20)) {
        out(buf);
        written += buf.size();
        buf.clear();
      }
    }
    out(buf);
  }
};

PostfixGenerator::PostfixGenerator(Options options) : options_(std::move(options)) {}

void PostfixGenerator::run(const std::function<void(std::string_view)>& out) {
  truth_ = GroundTruth{};
  Impl(options_, truth_).run(out);
}

}  // namespace bounce::corpus
