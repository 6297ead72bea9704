// bounce::corpus::LogGenerator: deterministic (seeded) realistic mail logs of
// any size, streamed with bounded memory, as a Postfix, Exim or Sendmail log,
// an Exchange message tracking log, or Amazon SES events (NDJSON), with the
// ground truth a correct parser must find.
//
// Traffic (traffic.hpp): outbound mail from a few applications to a realistic
// provider mix (Gmail, Outlook, Hotmail, Yahoo, iCloud, custom domains), 1-3
// recipients a message; a clean baseline has a little greylisting (deferred,
// then delivered) and a few unknown users; scenarios add the problems the
// report must find.
//
//   LogGenerator::Options o;
//   o.format = "exim";
//   o.messages = 2000;
//   o.scenarios.dmarc_google = true;
//   std::string log;
//   LogGenerator gen(o);
//   gen.run([&](std::string_view chunk) { log += chunk; });
//   gen.truth().by_outcome.at("bounced");

#ifndef BOUNCE_CORPUS_GENERATOR_LOG_GENERATOR_HPP_
#define BOUNCE_CORPUS_GENERATOR_LOG_GENERATOR_HPP_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "traffic.hpp"

namespace bounce::corpus {

class LogGenerator {
 public:
  struct Options {
    std::string format = "postfix";  ///< postfix, exim, sendmail, exchange or ses
    std::uint64_t seed = 1;
    std::uint64_t bytes = 0;           ///< stop after about this many bytes (0 = use messages)
    std::uint64_t messages = 0;        ///< or after this many messages (0 and 0: 1000)
    double messages_per_hour = 14400;  ///< arrival rate (the spike multiplies it by 6)
    Scenarios scenarios;
  };
  /// Throws std::invalid_argument for an unknown format.
  explicit LogGenerator(Options options);
  /// Produces the log, handing it out in pieces of about 1 MiB.
  void run(const std::function<void(std::string_view)>& out);
  const GroundTruth& truth() const noexcept { return truth_; }

 private:
  Options options_;
  GroundTruth truth_;
};

}  // namespace bounce::corpus

#endif  // BOUNCE_CORPUS_GENERATOR_LOG_GENERATOR_HPP_
