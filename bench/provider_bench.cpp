// Provider events (NDJSON) throughput: libbounce's reader (parse, classify,
// records consumed) beside plain simdjson parses of the same bytes, in the
// same process. The corpus is the sample NDJSON events of corpus/samples,
// repeated to about 32 MB.
//
//   build/bench/bounce_provider_bench --benchmark_min_time=1

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "bounce/reader.hpp"

namespace {

const std::string& Corpus() {
  static const std::string corpus = [] {
    std::string lines;
    for (const char* f :
         {"ses/events.ndjson", "mailgun/webhooks.ndjson", "postmark/bounce_webhooks.ndjson"}) {
      std::ifstream in(std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/samples/" + f);
      std::ostringstream ss;
      ss << in.rdbuf();
      lines += ss.str();
      if (!lines.empty() && lines.back() != '\n') lines += '\n';
    }
    std::string out;
    while (out.size() < (32u << 20)) out += lines;
    return out;
  }();
  return corpus;
}

void BM_ProviderEventsReader(benchmark::State& state) {
  const std::string& corpus = Corpus();
  const bounce::InputSource input = bounce::InputSource::memory("events.ndjson", corpus);
  std::uint64_t records = 0;
  for (auto _ : state) {
    bounce::Reader reader;  // format recognised from the content
    reader.read(std::span(&input, 1), [&](const bounce::Record& r) {
      records += 1 + (r.classification.reason == bounce::Reason::unknown);
    });
  }
  benchmark::DoNotOptimize(records);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_ProviderEventsReader)->Unit(benchmark::kMillisecond);

// Baseline 1: simdjson DOM, one document per line (what the reader parses).
void BM_SimdjsonDomPerLine(benchmark::State& state) {
  const std::string& corpus = Corpus();
  simdjson::dom::parser parser;
  std::size_t docs = 0;
  for (auto _ : state) {
    std::string_view rest = corpus;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      const std::string_view line = rest.substr(0, nl);
      rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
      simdjson::dom::element doc;
      if (!line.empty() && !parser.parse(line.data(), line.size()).get(doc)) ++docs;
    }
  }
  benchmark::DoNotOptimize(docs);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_SimdjsonDomPerLine)->Unit(benchmark::kMillisecond);

// Baseline 2: simdjson's NDJSON stream (parse_many), the fastest plain parse.
void BM_SimdjsonParseMany(benchmark::State& state) {
  const simdjson::padded_string corpus(Corpus());
  simdjson::dom::parser parser;
  std::size_t docs = 0;
  for (auto _ : state) {
    simdjson::dom::document_stream stream;
    if (parser.parse_many(corpus).get(stream)) state.SkipWithError("parse_many failed");
    for (auto doc : stream) docs += doc.error() ? 0 : 1;
  }
  benchmark::DoNotOptimize(docs);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
}
BENCHMARK(BM_SimdjsonParseMany)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
