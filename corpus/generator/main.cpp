// bounce-gen: writes a generated mail log to stdout and its ground truth.
//
//   bounce-gen --bytes 1e9 --seed 7 --truth truth.json > mail.log
//   bounce-gen --format exim --bytes 2e8 --truth exim-truth.json > mainlog
//   bounce-gen --format sendmail --bytes 2e8 --truth sm-truth.json > maillog
//   bounce-gen --format ses --messages 1e5 > events.ndjson
//   bounce-gen --messages 3000 --dmarc-google --spamhaus --stale-list > problems.log

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

#include "log_generator.hpp"

namespace {

// A count given as 1000000000, 1e9 or 2.5e8; anything else is a usage error
// (strtoull would read "2e8" as 2 and write a tiny corpus without a word).
bool parse_count(const char* text, unsigned long long& out) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= 0) || v > 1e19) return false;
  out = static_cast<unsigned long long>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  bounce::corpus::LogGenerator::Options o;
  const char* truth = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    unsigned long long n = 0;
    bool ok = true;
    if (a == "--bytes" && has_value)
      ok = parse_count(argv[++i], n), o.bytes = n;
    else if (a == "--messages" && has_value)
      ok = parse_count(argv[++i], n), o.messages = n;
    else if (a == "--seed" && has_value)
      ok = parse_count(argv[++i], n), o.seed = n;
    else if (a == "--per-hour" && has_value)
      ok = parse_count(argv[++i], n), o.messages_per_hour = static_cast<double>(n);
    else if (a == "--format" && has_value)
      o.format = argv[++i];
    else if (a == "--truth" && has_value)
      truth = argv[++i];
    else if (a == "--dmarc-google")
      o.scenarios.dmarc_google = true;
    else if (a == "--spamhaus")
      o.scenarios.spamhaus = true;
    else if (a == "--yahoo-spike")
      o.scenarios.yahoo_spike = true;
    else if (a == "--stale-list")
      o.scenarios.stale_list = true;
    else
      ok = false;
    if (!ok) {
      std::fprintf(
          stderr,
          "usage: bounce-gen [--format postfix|exim|sendmail|exchange|ses]\n"
          "                  [--bytes N | --messages N]\n"
          "                  [--per-hour N] [--seed S] [--truth FILE]\n"
          "                  [--dmarc-google] [--spamhaus] [--yahoo-spike] [--stale-list]\n");
      return 2;
    }
  }
  std::optional<bounce::corpus::LogGenerator> made;
  try {
    made.emplace(o);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "bounce-gen: %s\n", e.what());
    return 2;
  }
  bounce::corpus::LogGenerator& gen = *made;
  gen.run([](std::string_view chunk) { std::fwrite(chunk.data(), 1, chunk.size(), stdout); });
  if (truth) {
    std::FILE* f = std::fopen(truth, "w");
    if (!f) {
      std::perror(truth);
      return 1;
    }
    const std::string json = gen.truth().to_json();
    std::fwrite(json.data(), 1, json.size(), f);
    std::fclose(f);
  }
  return 0;
}
