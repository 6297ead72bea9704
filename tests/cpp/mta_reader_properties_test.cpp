// Properties the Postfix reader guarantees, for the Exim, Sendmail and
// Exchange readers too: the same records and line accounting whatever the
// chunk size, thread count and compression.

#include <gtest/gtest.h>

#include "bounce/reader.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using testing_util::Gzip;
using testing_util::ReadAll;
using testing_util::ReadSourceFile;

class MtaReaderProperties : public testing::TestWithParam<const char*> {};

TEST_P(MtaReaderProperties, OutputIndependentOfChunksThreadsAndCompression) {
  std::string log = ReadSourceFile(std::string("corpus/samples/") + GetParam());
  if (!log.empty() && log.back() != '\n') log.push_back('\n');
  std::string big;  // several chunks even at the largest size tested
  for (int i = 0; i < 60; ++i) big += log;
  for (View view : {View::attempts, View::final}) {
    ReaderOptions base;
    base.view = view;
    base.year = 2024;
    const auto reference = ReadAll({InputSource::memory("big", big)}, base);
    ASSERT_GT(reference.jsonl.size(), 20u);
    EXPECT_EQ(reference.stats.parsed + reference.stats.ignored + reference.stats.unparsed,
              reference.stats.lines);
    for (std::size_t chunk : {4096u, 10000u, 1u << 20}) {
      for (unsigned threads : {1u, 2u}) {
        ReaderOptions o = base;
        o.chunk_size = chunk;
        o.threads = threads;
        const auto got = ReadAll({InputSource::memory("big", big)}, o);
        EXPECT_EQ(got.jsonl, reference.jsonl) << "chunk " << chunk << " threads " << threads;
        EXPECT_EQ(got.stats.lines, reference.stats.lines);
        EXPECT_EQ(got.stats.unparsed, reference.stats.unparsed);
      }
    }
    ReaderOptions o = base;
    o.chunk_size = 8192;
    const auto got = ReadAll({InputSource::memory("big", Gzip(big))}, o);
    EXPECT_EQ(got.jsonl, reference.jsonl) << "gzip";
    EXPECT_EQ(got.stats.bytes, big.size());
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, MtaReaderProperties,
                         testing::Values("exim/mainlog", "sendmail/maillog",
                                         "exchange/MSGTRK20240125-1.LOG"),
                         [](const auto& p) {
                           const std::string s = p.param;
                           return s.substr(0, s.find('/'));
                         });

}  // namespace
}  // namespace bounce
