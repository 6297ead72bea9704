// Shared reader options of `bounce parse` and `bounce report`.

#include "reader_arguments.hpp"

#include <iostream>
#include <iterator>

namespace bounce::cli {

std::set<std::string> reader_option_names() {
  return {"format", "year", "tz", "threads", "rules", "max-expansion"};
}

ReaderOptions reader_options(const Arguments& a) {
  ReaderOptions options;
  const std::string format_name = a.value_or("format", "auto");
  options.format = from_string<Format>(format_name);
  if (!options.format && format_name != "auto")
    throw UsageError("unknown --format '" + format_name + "'");
  options.year = static_cast<int>(a.integer("year").value_or(0));
  options.tz = a.value_or("tz", "");
  // All cores unless told: the output is the same for any number.
  const long long threads = a.integer("threads").value_or(0);
  if (threads < 0 || threads > 1024) throw UsageError("--threads must be 0..1024");
  options.threads = static_cast<unsigned>(threads);
  if (const auto ratio = a.integer("max-expansion")) {
    if (*ratio < 0 || *ratio > 1'000'000'000)
      throw UsageError("--max-expansion must be 0..1000000000");
    options.max_expansion_ratio = static_cast<std::uint32_t>(*ratio);
  }
  return options;
}

std::vector<InputSource> input_sources(const Arguments& a, std::istream& in,
                                       std::string& stdin_bytes) {
  std::vector<InputSource> inputs = order_rotated(a.positional());
  if (&in == &std::cin) return inputs;  // '-' streams the real standard input
  for (InputSource& input : inputs) {
    if (input.kind != InputSource::Kind::standard_input) continue;
    stdin_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    input = InputSource::memory("<stdin>", stdin_bytes);
  }
  return inputs;
}

std::string format_mismatch_warning(const ReaderOptions& options, const ParseStats& stats) {
  if (!options.format || stats.parsed > 0 || stats.lines == 0) return "";
  return "bounce: warning: no line parsed as --format " + std::string(to_string(*options.format)) +
         "; if the input is another format, try --format auto\n";
}

}  // namespace bounce::cli
