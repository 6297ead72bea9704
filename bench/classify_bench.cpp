// Classifier throughput on a realistic mix: the replies of corpus/replies/
// (real provider texts), each seen with many different recipient addresses and
// IPs, as in a day of logs. Reports items/s (classifications per second).
//
//   build/bench/bounce_bench --benchmark_filter=Classify

#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"

namespace {

struct Reply {
  std::string text, host;
};

std::vector<Reply> LoadMix() {
  std::vector<Reply> templates;
  std::ifstream in(std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/replies/replies.tsv");
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '\t')) cells.push_back(cell);
    if (cells.size() >= 4) templates.push_back({cells[2], cells[3]});
  }
  if (templates.empty()) templates.push_back({"550 5.1.1 user unknown", ""});
  // Each template with 32 different recipients and client IPs (appended after
  // the reply's own codes and text, as servers quote them), shuffled.
  std::vector<Reply> mix;
  std::mt19937 rng(42);
  for (int variant = 0; variant < 32; ++variant)
    for (const Reply& t : templates)
      mix.push_back({t.text + " <user" + std::to_string(rng() % 100000) +
                         "@example.com> [192.0.2." + std::to_string(rng() % 250) + "]",
                     t.host});
  std::shuffle(mix.begin(), mix.end(), rng);
  return mix;
}

void Classify(benchmark::State& state, bool cache) {
  static const std::vector<Reply> mix = LoadMix();
  bounce::ClassifierOptions options;
  options.cache = cache;
  const bounce::Classifier classifier(options);
  for (const Reply& r : mix) classifier.classify(r.text, {.remote_host = r.host});  // warm
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const Reply& r = mix[i++ % mix.size()];
    bytes += r.text.size();
    benchmark::DoNotOptimize(classifier.classify(r.text, {.remote_host = r.host}));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["distinct_replies"] = static_cast<double>(mix.size());
}

void BM_ClassifyCached(benchmark::State& state) { Classify(state, true); }
void BM_ClassifyUncached(benchmark::State& state) { Classify(state, false); }
BENCHMARK(BM_ClassifyCached)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_ClassifyUncached)->ThreadRange(1, 2)->UseRealTime();

// The replies as they occur in a mail log (the bundled demo log: successes
// and failures in their real proportions), each with its context.
struct LoggedReply {
  int code;
  std::string dsn, text, host, domain, phase;
};

std::vector<LoggedReply> LoadLogMix() {
  std::vector<LoggedReply> out;
  bounce::ReaderOptions o;
  o.year = 2025;
  bounce::Reader reader(o);
  for (const char* f : {"/corpus/samples/demo/mail.log.1.gz", "/corpus/samples/demo/mail.log"})
    reader.read_file(std::string(LIBBOUNCE_SOURCE_DIR) + f, [&](const bounce::Record& r) {
      out.push_back({r.reply_code, std::string(r.enhanced_code), std::string(r.reply_text),
                     std::string(r.relay_host), std::string(r.recipient_domain),
                     std::string(r.phase)});
    });
  return out;
}

void BM_ClassifyLogMix(benchmark::State& state) {
  static const std::vector<LoggedReply> mix = LoadLogMix();
  const bounce::Classifier classifier;
  std::size_t i = 0;
  for (auto _ : state) {
    const LoggedReply& r = mix[i++ % mix.size()];
    benchmark::DoNotOptimize(classifier.classify(
        r.code, r.dsn, r.text,
        {.phase = r.phase, .remote_host = r.host, .recipient_domain = r.domain}));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["replies"] = static_cast<double>(mix.size());
}
BENCHMARK(BM_ClassifyLogMix);

void BM_SplitReply(benchmark::State& state) {
  const std::string text =
      "host mx.example.com[192.0.2.1] said: 550-5.1.1 The email account that you tried to reach "
      "does not exist. 550 5.1.1 Please try double-checking. - gsmtp (in reply to RCPT TO command)";
  for (auto _ : state) benchmark::DoNotOptimize(bounce::split_reply(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_SplitReply);

void BM_NormalizeReply(benchmark::State& state) {
  const std::string text =
      "550 5.7.1 Service unavailable; Client host [192.0.2.33] blocked using zen.spamhaus.org; "
      "https://www.spamhaus.org/query/ip/192.0.2.33 <someone.else@example.org>";
  for (auto _ : state) benchmark::DoNotOptimize(bounce::normalize_reply(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_NormalizeReply);

}  // namespace

BENCHMARK_MAIN();
