// A deterministic (seeded) generator of realistic Postfix logs, streamed with
// bounded memory, with a ground truth of what a correct parser must find.
//
// Traffic: outbound mail from a few applications (two streams: notifications@
// and newsletter@example.com) to a realistic provider mix (Gmail, Outlook,
// Hotmail, Yahoo, iCloud, custom domains), 1-3 recipients a message, smtpd,
// cleanup, qmgr and smtp lines, interleaved amavis lines. A clean baseline has
// a little greylisting (deferred, then delivered) and a few unknown users;
// scenarios add the problems the report must find.
//
//   PostfixGenerator::Options o;
//   o.messages = 2000;
//   o.scenarios.dmarc_google = true;
//   std::string log;
//   PostfixGenerator(o).run([&](std::string_view chunk) { log += chunk; });

#ifndef BOUNCE_CORPUS_GENERATOR_POSTFIX_GENERATOR_HPP_
#define BOUNCE_CORPUS_GENERATOR_POSTFIX_GENERATOR_HPP_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace bounce::corpus {

struct Scenarios {
  bool dmarc_google = false;  ///< a quarter of Gmail recipients rejected for DMARC
  bool spamhaus = false;      ///< custom domains reject 192.0.2.10, listed on Spamhaus ZEN
  bool yahoo_spike = false;   ///< a 6x volume hour, then Yahoo TSS04 deferrals for hours
  bool stale_list = false;    ///< 8% of recipients do not exist
};

struct GroundTruth {
  std::uint64_t messages = 0, records = 0;  ///< final records (user mail)
  std::map<std::string, std::uint64_t> by_outcome, by_reason, by_domain;
  std::string to_json() const;
};

class PostfixGenerator {
 public:
  struct Options {
    std::uint64_t seed = 1;
    std::uint64_t bytes = 0;           ///< stop after about this many bytes (0 = use messages)
    std::uint64_t messages = 0;        ///< or after this many messages
    double messages_per_hour = 14400;  ///< arrival rate (the spike multiplies it by 6)
    Scenarios scenarios;
  };
  explicit PostfixGenerator(Options options);
  /// Produces the log, handing it out in pieces of about 1 MiB.
  void run(const std::function<void(std::string_view)>& out);
  const GroundTruth& truth() const noexcept { return truth_; }

 private:
  struct Impl;
  Options options_;
  GroundTruth truth_;
};

}  // namespace bounce::corpus

#endif  // BOUNCE_CORPUS_GENERATOR_POSTFIX_GENERATOR_HPP_
