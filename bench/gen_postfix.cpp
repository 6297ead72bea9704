// bounce_gen_postfix: a deterministic (seeded) generator of realistic Postfix
// logs of any size, streamed with bounded memory, plus a ground-truth summary.
//
//   bounce_gen_postfix --bytes 1000000000 --seed 7 --truth truth.json > mail.log
//
// Traffic: outbound mail from a few applications to a realistic provider mix
// (Gmail, Outlook, Yahoo, iCloud, custom domains), 1-3 recipients a message,
// TLS and connection lines, interleaved non-Postfix lines (amavis, dovecot);
// most deliveries succeed, some are deferred and retried, some bounce with real
// provider replies. The truth counts final records by outcome, the number a
// correct parser must reproduce (`bounce parse --view final`).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <queue>
#include <random>
#include <string>
#include <vector>

namespace {

struct Provider {
  const char* domain;
  const char* mx;
  const char* ip;
  const char* ok_reply;
  double weight;
};

const Provider kProviders[] = {
    {"gmail.com", "gmail-smtp-in.l.google.com", "142.250.102.27",
     "250 2.0.0 OK  1751698321 5b1f17b1804b1-453a2e7c1f0si1022415e9.87 - gsmtp", 0.35},
    {"outlook.com", "outlook-com.olc.protection.outlook.com", "52.101.68.3",
     "250 2.6.0 <msg@example.com> [InternalId=1] Queued mail for delivery", 0.12},
    {"hotmail.com", "hotmail-com.olc.protection.outlook.com", "52.101.68.4",
     "250 2.6.0 <msg@example.com> [InternalId=2] Queued mail for delivery", 0.08},
    {"yahoo.com", "mta7.am0.yahoodns.net", "67.195.204.72", "250 ok dirdel", 0.15},
    {"icloud.com", "mx01.mail.icloud.com", "17.57.154.33", "250 2.0.0 Ok: queued as 4bYxYZ1k2Fz9",
     0.05},
    {"example.org", "mx.example.org", "198.51.100.60", "250 2.0.0 Ok: queued as 9F4C21A07B", 0.15},
    {"example.net", "mx2.example.net", "203.0.113.141", "250 OK id=1uY0aB-0007Qz-3T", 0.10},
};

struct Failure {
  std::size_t provider;  // index into kProviders, or SIZE_MAX for any
  const char* dsn;
  const char* text;  // the remote reply
  const char* phase;
  bool permanent;
  const char* outcome;  // truth bucket when final
};

const Failure kBounces[] = {
    {0, "5.1.1",
     "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 "
     "double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
     "Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser "
     "5b1f17b1804b1-453a2e7c1f0si1022415e9.87 - gsmtp",
     "RCPT TO", true, "bounced"},
    {0, "5.7.26",
     "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550 5.7.26 "
     "DMARC policy. - gsmtp",
     "end of DATA", true, "bounced"},
    {1, "5.5.0",
     "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). "
     "[AM2PEPF0001C70F.eurprd05.prod.outlook.com]",
     "RCPT TO", true, "bounced"},
    {2, "5.7.606",
     "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. To request removal from this list "
     "please visit https://sender.office.com/ and follow the directions. (AS16012609)",
     "RCPT TO", true, "bounced"},
    {3, "5.0.0",
     "554 delivery error: dd This user doesn't have a yahoo.com account (someone@yahoo.com) [0] - "
     "mta1234.mail.ne1.yahoo.com",
     "end of DATA", true, "bounced"},
    {5, "5.0.0", "552 4.2.2 User has full mailbox.", "RCPT TO", true, "bounced"},
    {6, "5.7.1",
     "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org; "
     "https://www.spamhaus.org/query/ip/192.0.2.10",
     "RCPT TO", true, "bounced"},
};

const Failure kDeferrals[] = {
    {3, "4.7.0",
     "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or "
     "user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
     "MAIL FROM", false, "deferred"},
    {0, "4.7.28",
     "421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating 421 4.7.28 "
     "from your IP address. To protect our users from spam, mail has been temporarily rate "
     "limited. - gsmtp",
     "end of DATA", false, "deferred"},
    {1, "4.7.650",
     "451 4.7.650 The mail server [192.0.2.10] has been temporarily rate limited due to IP "
     "reputation. For e-mail delivery information, see https://postmaster.live.com (S775) "
     "[Name=Protocol Filter Agent][AGT=PFA]",
     "RCPT TO", false, "deferred"},
    {5, "4.7.1",
     "450 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, see "
     "http://postgrey.schweikert.ch/help/example.org.html",
     "RCPT TO", false, "deferred"},
};

struct Line {
  std::int64_t time_ms;
  std::uint64_t seq;  // tie-break: creation order
  std::string text;
  bool operator>(const Line& o) const {
    return time_ms != o.time_ms ? time_ms > o.time_ms : seq > o.seq;
  }
};

class Generator {
 public:
  Generator(std::uint64_t seed, std::uint64_t bytes) : rng_(seed), target_(bytes) {
    for (const auto& p : kProviders) weights_.push_back(p.weight);
  }

  void run(std::FILE* out) {
    std::int64_t now = 0;
    std::uint64_t written = 0;
    std::string buf;
    while (written < target_ || !pending_.empty()) {
      if (written < target_) {
        now += 40 + static_cast<std::int64_t>(rng_() % 400);  // a message every ~0.25 s
        message(now);
      }
      // Emit every line due before the next message arrives (or all at the end).
      const std::int64_t horizon = written < target_ ? now : INT64_MAX;
      while (!pending_.empty() && pending_.top().time_ms <= horizon) {
        const Line& l = pending_.top();
        stamp(buf, l.time_ms);
        buf += l.text;
        buf += '\n';
        pending_.pop();
      }
      if (buf.size() > (1 << 20)) {
        std::fwrite(buf.data(), 1, buf.size(), out);
        written += buf.size();
        buf.clear();
      }
      if (written >= target_ && buf.empty() && pending_.empty()) break;
    }
    std::fwrite(buf.data(), 1, buf.size(), out);
  }

  void write_truth(std::FILE* f) const {
    std::fprintf(f,
                 "{\n  \"format\": \"postfix\",\n  \"view\": \"final\",\n  \"messages\": %llu,\n",
                 static_cast<unsigned long long>(messages_));
    std::fprintf(f, "  \"records\": %llu,\n  \"by_outcome\": {",
                 static_cast<unsigned long long>(records_));
    bool first = true;
    for (const auto& [k, v] : by_outcome_) {
      std::fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", k.c_str(),
                   static_cast<unsigned long long>(v));
      first = false;
    }
    std::fprintf(f, "},\n  \"by_domain\": {");
    first = true;
    for (const auto& [k, v] : by_domain_) {
      std::fprintf(f, "%s\"%s\": %llu", first ? "" : ", ", k.c_str(),
                   static_cast<unsigned long long>(v));
      first = false;
    }
    std::fprintf(f, "}\n}\n");
  }

 private:
  void add(std::int64_t t, std::string text) { pending_.push(Line{t, seq_++, std::move(text)}); }

  // Classic syslog timestamp in 2025, starting Jul 5 06:00:00.
  void stamp(std::string& buf, std::int64_t ms) {
    static const char* kMonth[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::int64_t s = ms / 1000 + 6 * 3600;
    int month = 6, day = 5;
    std::int64_t days = s / 86400;
    s %= 86400;
    while (days > 0) {
      ++day;
      --days;
      if (day > kDays[month]) {
        day = 1;
        month = (month + 1) % 12;
      }
    }
    char head[64];
    std::snprintf(head, sizeof head, "%s %2d %02d:%02d:%02d mx1 ", kMonth[month], day,
                  static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                  static_cast<int>(s % 60));
    buf += head;
  }

  std::string qid() {
    char b[16];
    std::snprintf(b, sizeof b, "%010llX",
                  static_cast<unsigned long long>((++qid_counter_ * 0x9E3779B97F4A7C15ull) >> 24) &
                      0xFFFFFFFFFFull);
    return b;
  }

  std::string pid(const char* daemon) {
    return std::string("postfix/") + daemon + "[" + std::to_string(1000 + rng_() % 60000) + "]: ";
  }

  void message(std::int64_t t0) {
    ++messages_;
    const std::string q = qid();
    const int app = static_cast<int>(rng_() % 4) + 1;
    const std::string client =
        "app" + std::to_string(app) + ".example.com[192.0.2." + std::to_string(20 + app) + "]";
    const std::string sender = app == 4 ? "newsletter@example.com" : "notifications@example.com";
    add(t0, pid("smtpd") + "connect from " + client);
    add(t0 + 5, pid("smtpd") + q + ": client=" + client);
    add(t0 + 9, pid("cleanup") + q + ": message-id=<" + q + "." + std::to_string(t0) + "@app" +
                    std::to_string(app) + ".example.com>");
    const int nrcpt = 1 + static_cast<int>(rng_() % 10 == 0 ? 2 : rng_() % 10 == 0 ? 1 : 0);
    add(t0 + 12, pid("qmgr") + q + ": from=<" + sender +
                     ">, size=" + std::to_string(2000 + rng_() % 60000) +
                     ", nrcpt=" + std::to_string(nrcpt) + " (queue active)");
    add(t0 + 14, pid("smtpd") + "disconnect from " + client +
                     " ehlo=1 mail=1 rcpt=" + std::to_string(nrcpt) + " data=1 quit=1 commands=5");
    if (rng_() % 20 == 0)
      add(t0 + 13, "amavis[" + std::to_string(rng_() % 9000) + "]: (" +
                       std::to_string(rng_() % 99999) +
                       "-01) Passed CLEAN {RelayedOutbound}, [192.0.2.21] <" + sender +
                       "> -> <x@example.org>");
    std::int64_t last = t0 + 20;
    std::discrete_distribution<std::size_t> pick(weights_.begin(), weights_.end());
    for (int r = 0; r < nrcpt; ++r) {
      const std::size_t p = pick(rng_);
      const Provider& pv = kProviders[p];
      const std::string rcpt = "user" + std::to_string(rng_() % 5000000) + "@" + pv.domain;
      ++by_domain_[pv.domain];
      std::int64_t t = t0 + 300 + static_cast<std::int64_t>(rng_() % 1500);
      const std::string relay = std::string(pv.mx) + "[" + pv.ip + "]:25";
      const unsigned roll = static_cast<unsigned>(rng_() % 1000);
      // ~4% deferred first (retried and delivered later), ~3% bounced.
      if (roll < 40) {
        const Failure* d = matching(kDeferrals, std::size(kDeferrals), p);
        if (d) {
          add(t, pid("smtp") + q + ": to=<" + rcpt + ">, relay=" + relay +
                     ", delay=0.9, delays=0.01/0/0.3/0.6, dsn=" + d->dsn +
                     ", status=deferred (host " + pv.mx + "[" + pv.ip + "] said: " + d->text +
                     " (in reply to " + d->phase + " command))");
          t += 600000 + static_cast<std::int64_t>(rng_() % 900000);
        }
      }
      if (roll >= 40 && roll < 70) {
        if (const Failure* b = matching(kBounces, std::size(kBounces), p)) {
          add(t, pid("smtp") + q + ": to=<" + rcpt + ">, relay=" + relay +
                     ", delay=1.2, delays=0.01/0/0.4/0.8, dsn=" + b->dsn +
                     ", status=bounced (host " + pv.mx + "[" + pv.ip + "] said: " + b->text +
                     " (in reply to " + b->phase + " command))");
          count("bounced");
          last = std::max(last, t + 5);
          continue;
        }
      }
      add(t, pid("smtp") + q + ": to=<" + rcpt + ">, relay=" + relay +
                 ", delay=" + std::to_string((t - t0) / 1000) +
                 ".4, delays=0.01/0/0.3/0.2, dsn=2.0.0, status=sent (" + pv.ok_reply + ")");
      count("delivered");
      last = std::max(last, t + 5);
    }
    add(last, pid("qmgr") + q + ": removed");
  }

  const Failure* matching(const Failure* list, std::size_t n, std::size_t provider) {
    std::vector<const Failure*> m;
    for (std::size_t i = 0; i < n; ++i)
      if (list[i].provider == provider) m.push_back(&list[i]);
    if (m.empty()) return nullptr;
    return m[rng_() % m.size()];
  }

  void count(const char* outcome) {
    ++records_;
    ++by_outcome_[outcome];
  }

  std::mt19937_64 rng_;
  std::uint64_t target_;
  std::vector<double> weights_;
  std::priority_queue<Line, std::vector<Line>, std::greater<Line>> pending_;
  std::uint64_t seq_ = 0, qid_counter_ = 0, messages_ = 0, records_ = 0;
  std::map<std::string, std::uint64_t> by_outcome_, by_domain_;
};

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t bytes = 100u << 20, seed = 1;
  const char* truth = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--bytes" && i + 1 < argc)
      bytes = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--truth" && i + 1 < argc)
      truth = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: bounce_gen_postfix [--bytes N] [--seed S] [--truth FILE] > log\n");
      return 2;
    }
  }
  Generator g(seed, bytes);
  g.run(stdout);
  if (truth) {
    std::FILE* f = std::fopen(truth, "w");
    if (!f) {
      std::perror(truth);
      return 1;
    }
    g.write_truth(f);
    std::fclose(f);
  }
  return 0;
}
