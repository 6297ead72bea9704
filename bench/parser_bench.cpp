// Micro benchmarks of the parser's hot paths, each on realistic lines (a
// generated Postfix or Exim log, the bundled Exchange sample), with bytes/s
// and items/s (lines, or events for the correlator):
//
//   line splitting -> syslog header -> Postfix message body -> correlator
//   Exim line, Exchange CSV row
//
//   build/bench/bounce_parser_bench --benchmark_min_time=0.5
//
// The whole-file numbers are bounce_throughput's; these say where the time goes.

#include <benchmark/benchmark.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "correlate/postfix_correlator.hpp"
#include "formats/exchange_parser.hpp"
#include "formats/exim_parser.hpp"
#include "formats/postfix_event.hpp"
#include "formats/syslog_header.hpp"
#include "io/line_splitter.hpp"
#include "log_generator.hpp"

namespace {

const std::string& GeneratedLog(const std::string& format) {
  static std::string postfix, exim;
  std::string& log = format == "exim" ? exim : postfix;
  if (log.empty()) {
    bounce::corpus::LogGenerator::Options o;
    o.format = format;
    o.messages = 20000;
    bounce::corpus::LogGenerator(o).run([&](std::string_view chunk) { log += chunk; });
  }
  return log;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  bounce::io::LineSplitter splitter(text);
  for (std::string_view line; splitter.next(line);) lines.push_back(line);
  return lines;
}

void SetRates(benchmark::State& state, std::size_t bytes, std::size_t items) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * items));
}

void BM_LineSplit(benchmark::State& state) {
  const std::string& log = GeneratedLog("postfix");
  std::size_t lines = 0;
  for (auto _ : state) {
    lines = 0;
    for (const char* p = log.data();
         (p = static_cast<const char*>(std::memchr(p, '\n', log.data() + log.size() - p))); ++p)
      ++lines;
    benchmark::DoNotOptimize(lines);
  }
  SetRates(state, log.size(), lines);
}
BENCHMARK(BM_LineSplit);

// What the reader splits chunks with: newline masks of 64 bytes at a time.
void BM_LineSplitter(benchmark::State& state) {
  const std::string& log = GeneratedLog("postfix");
  std::size_t lines = 0;
  for (auto _ : state) {
    lines = 0;
    bounce::io::LineSplitter splitter(log);
    for (std::string_view line; splitter.next(line);) {
      benchmark::DoNotOptimize(line);
      ++lines;
    }
  }
  SetRates(state, log.size(), lines);
}
BENCHMARK(BM_LineSplitter);

void BM_SyslogHeader(benchmark::State& state) {
  const std::string& log = GeneratedLog("postfix");
  const auto lines = Lines(log);
  for (auto _ : state)
    for (const auto line : lines)
      benchmark::DoNotOptimize(bounce::formats::parse_syslog_line(line));
  SetRates(state, log.size(), lines.size());
}
BENCHMARK(BM_SyslogHeader);

void BM_PostfixMessage(benchmark::State& state) {
  const std::string& log = GeneratedLog("postfix");
  std::vector<std::pair<std::string_view, std::string_view>> messages;  // (daemon, message)
  std::size_t bytes = 0;
  for (const auto line : Lines(log)) {
    const auto sl = bounce::formats::parse_syslog_line(line);
    if (!bounce::formats::is_postfix_program(sl.program)) continue;
    messages.emplace_back(bounce::formats::daemon_of(sl.program), sl.message);
    bytes += sl.message.size();
  }
  bounce::formats::PostfixEvent event;
  for (auto _ : state)
    for (const auto& [daemon, message] : messages)
      benchmark::DoNotOptimize(bounce::formats::parse_postfix_message(daemon, message, event));
  SetRates(state, bytes, messages.size());
}
BENCHMARK(BM_PostfixMessage);

void BM_PostfixCorrelator(benchmark::State& state) {
  const std::string& log = GeneratedLog("postfix");
  std::vector<bounce::formats::PostfixEvent> events;
  for (const auto line : Lines(log)) {
    const auto sl = bounce::formats::parse_syslog_line(line);
    if (!bounce::formats::is_postfix_program(sl.program)) continue;
    bounce::formats::PostfixEvent e;
    if (bounce::formats::parse_postfix_message(bounce::formats::daemon_of(sl.program), sl.message,
                                               e) == bounce::formats::LineClass::parsed)
      events.push_back(e);
  }
  std::size_t records = 0;
  for (auto _ : state) {
    bounce::correlate::PostfixCorrelator correlator(bounce::View::attempts, 1u << 20, 0,
                                                    [&](const bounce::Record&) { ++records; });
    bounce::correlate::LineContext ctx;
    for (const auto& e : events) {
      ++ctx.line;
      correlator.add(e, ctx);
    }
    correlator.finish();
  }
  benchmark::DoNotOptimize(records);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_PostfixCorrelator);

void BM_EximLine(benchmark::State& state) {
  const std::string& log = GeneratedLog("exim");
  const auto lines = Lines(log);
  bounce::formats::EximEvent event;
  for (auto _ : state)
    for (const auto line : lines)
      benchmark::DoNotOptimize(bounce::formats::parse_exim_line(line, event));
  SetRates(state, log.size(), lines.size());
}
BENCHMARK(BM_EximLine);

void BM_ExchangeRow(benchmark::State& state) {
  std::ifstream in(std::string(LIBBOUNCE_SOURCE_DIR) +
                   "/corpus/samples/exchange/MSGTRK20240125-1.LOG");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto lines = Lines(text);
  std::size_t bytes = 0;
  for (const auto line : lines) bytes += line.size() + 1;
  bounce::formats::ExchangeRow row;
  for (auto _ : state) {
    bounce::formats::ExchangeParser parser;  // headers, then rows, as in a file
    for (const auto line : lines) benchmark::DoNotOptimize(parser.parse(line, row));
  }
  SetRates(state, bytes, lines.size());
}
BENCHMARK(BM_ExchangeRow);

}  // namespace

BENCHMARK_MAIN();
