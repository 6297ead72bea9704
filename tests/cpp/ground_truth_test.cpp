// Nothing lost or misread at scale: generated logs (every scenario switched
// on) read back to exactly the generator's ground truth (records by outcome
// and reason) for every chunk size, thread count and compression.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

#include "bounce/reader.hpp"
#include "log_generator.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

struct Generated {
  std::string log;
  corpus::GroundTruth truth;
};

const Generated& GeneratedLog(const std::string& format) {
  static std::map<std::string, Generated> cache;
  auto [it, fresh] = cache.try_emplace(format);
  if (fresh) {
    corpus::LogGenerator::Options o;
    o.format = format;
    o.seed = 11;
    o.messages = 8000;
    o.messages_per_hour = 400;  // a day: the spike hour and the deferrals after it fall inside
    o.scenarios = {.dmarc_google = true, .spamhaus = true, .yahoo_spike = true, .stale_list = true};
    corpus::LogGenerator gen(o);
    gen.run([&](std::string_view chunk) { it->second.log += chunk; });
    it->second.truth = gen.truth();
  }
  return it->second;
}

enum class Packing { plain, gzip, zstd };

class GroundTruthTest
    : public testing::TestWithParam<std::tuple<const char*, std::size_t, unsigned, Packing>> {};

TEST_P(GroundTruthTest, FinalRecordsMatchTheGeneratorsTruth) {
  const auto [format, chunk, threads, packing] = GetParam();
  const Generated& g = GeneratedLog(format);
  const std::string bytes = packing == Packing::gzip   ? testing_util::Gzip(g.log)
                            : packing == Packing::zstd ? testing_util::Zstd(g.log)
                                                       : g.log;
  ReaderOptions o;
  o.view = View::final;
  o.year = 2025;
  o.chunk_size = chunk;
  o.threads = threads;
  std::map<std::string, std::uint64_t> by_outcome, by_reason;
  Reader reader(o);
  const ParseStats stats = reader.read(
      std::vector<InputSource>{InputSource::memory("generated", bytes)}, [&](const Record& r) {
        ++by_outcome[std::string(to_string(r.outcome))];
        ++by_reason[std::string(to_string(r.classification.reason))];
      });
  EXPECT_EQ(stats.unparsed, 0u);
  EXPECT_EQ(stats.lines, stats.parsed + stats.ignored);
  EXPECT_EQ(stats.records, g.truth.records);
  EXPECT_EQ(by_outcome, g.truth.by_outcome);
  EXPECT_EQ(by_reason, g.truth.by_reason);
}

INSTANTIATE_TEST_SUITE_P(
    Generated, GroundTruthTest,
    testing::Combine(testing::Values("postfix", "exim", "sendmail", "exchange", "ses"),
                     testing::Values(std::size_t{4096}, std::size_t{1} << 16, std::size_t{8} << 20),
                     testing::Values(1u, 2u),
                     testing::Values(Packing::plain, Packing::gzip, Packing::zstd)));

}  // namespace
}  // namespace bounce
