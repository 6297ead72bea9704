// The traffic behind every generated log, whatever its format: messages from
// a few applications to a realistic provider mix, each recipient's delivery
// attempts (retries that end delivered, bounced or expired) with the reply
// texts those providers really send, and the ground truth a correct parser
// must find. A format writer (postfix_writer, sendmail_writer, ...) only renders it.
//
// Deterministic: the same seed and options give the same messages.

#ifndef BOUNCE_CORPUS_GENERATOR_TRAFFIC_HPP_
#define BOUNCE_CORPUS_GENERATOR_TRAFFIC_HPP_

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace bounce::corpus {

struct Scenarios {
  bool dmarc_google = false;  ///< a quarter of Gmail recipients rejected for DMARC
  bool spamhaus = false;      ///< custom domains reject 192.0.2.10, listed on Spamhaus ZEN
  bool yahoo_spike = false;   ///< a 6x volume hour, then Yahoo TSS04 deferrals for hours
  bool stale_list = false;    ///< 8% of recipients do not exist
};

/// What a correct parser finds in the final view (user mail, one record per
/// message and recipient).
struct GroundTruth {
  std::string format;
  std::uint64_t messages = 0, records = 0;
  std::map<std::string, std::uint64_t> by_outcome, by_reason, by_domain;
  std::string to_json() const;
};

struct Provider {
  const char* domain;
  const char* mx;
  const char* ip;
  const char* ok_reply;
  double weight;
  bool custom;  ///< a company domain on its own MX (where the Spamhaus listing bites)
};

/// A failure reply and the verdict the classifier must reach for it.
struct Failure {
  const char* dsn;
  const char* text;   ///< the whole reply, codes first
  const char* phase;  ///< "RCPT TO", "MAIL FROM" or "end of DATA"
  const char* reason;
  /// The verdict when a bounce is logged without the reply, as Sendmail does:
  /// only the dsn says why ("unknown" when it is 5.0.0).
  const char* reason_from_dsn;
};

/// One delivery attempt; failure == nullptr for a delivery.
struct Attempt {
  std::int64_t time_ms;
  const Failure* failure;
  bool permanent;  ///< a bounce (else a deferral, or the delivery)
};

struct Recipient {
  std::string address;
  const Provider* provider;
  std::vector<Attempt> attempts;  ///< in time order; the last one decides
};

struct Message {
  std::uint64_t serial;  ///< 1, 2, ... in arrival order
  std::int64_t time_ms;  ///< arrival, from the log's start
  int app;               ///< the submitting application host, 1-4
  std::string sender;
  std::uint64_t size;
  std::vector<Recipient> recipients;
  std::int64_t done_ms;  ///< when the last attempt is over
};

class Traffic {
 public:
  struct Options {
    std::uint64_t seed = 1;
    double messages_per_hour = 14400;  ///< arrival rate (the spike multiplies it by 6)
    Scenarios scenarios;
    bool bounce_reply_logged = true;  ///< false: the truth takes Failure::reason_from_dsn
  };
  Traffic(Options options, GroundTruth& truth);

  /// The next message (arriving after the previous one), counted in the truth.
  Message next();

 private:
  bool chance(double p);
  void attempts(Recipient& r, std::size_t provider, std::int64_t t0, std::int64_t t);
  void count(const std::string& outcome, const std::string& reason);

  Options o_;
  GroundTruth& truth_;
  std::mt19937_64 rng_;
  std::discrete_distribution<std::size_t> pick_provider_;
  std::int64_t now_ = 0;
  std::uint64_t serial_ = 0;
};

}  // namespace bounce::corpus

#endif  // BOUNCE_CORPUS_GENERATOR_TRAFFIC_HPP_
