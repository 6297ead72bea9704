// `bounce report`: the deliverability diagnosis of mail logs.

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "arguments.hpp"
#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "bounce/report.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "reader_arguments.hpp"

namespace bounce::cli {
namespace {

constexpr const char* kHelp = R"(usage: bounce report [options] FILE...   ('-' reads standard input)

Diagnose delivery problems in mail logs: where the path fails, temporary or
permanent, which providers, authentication, reputation and blocklists, sending
behaviour, list hygiene and complaints, each finding with its evidence
(counts, rates, example lines) and the action to take.

options:
  --output FORMAT   text (default) or json (schema in docs/report-schema.md)
  --html FILE       also write a self-contained HTML page with charts
  --color WHEN      auto (default: only on a terminal), always or never
  --year N, --tz OFFSET, --threads N, --rules FILE, --format NAME,
  --max-expansion N as for 'bounce parse'
  --hard-bounce-threshold R   hygiene threshold (default 0.02 = 2%)

exit codes: 0 report written (whatever it found), 1 input error, 2 usage error
)";

}  // namespace

int report_command(const std::vector<std::string>& args, Streams io) {
  std::set<std::string> valued = reader_option_names();
  valued.insert({"output", "html", "color", "hard-bounce-threshold"});
  const Arguments a(args, valued, {"help"});
  if (a.flag("help")) {
    io.out << kHelp;
    return kExitOk;
  }
  if (a.positional().empty()) throw UsageError("report needs at least one FILE (or '-')");
  const std::string output = a.value_or("output", "text");
  if (output != "text" && output != "json") throw UsageError("--output must be text or json");
  const std::string color = a.value_or("color", "auto");
  if (color != "auto" && color != "always" && color != "never")
    throw UsageError("--color must be auto, always or never");
  ReportOptions ropt;
  if (const auto t = a.value("hard-bounce-threshold")) {
    try {
      ropt.hard_bounce_threshold = std::stod(*t);
    } catch (const std::exception&) {
      throw UsageError("--hard-bounce-threshold needs a number, e.g. 0.02");
    }
  }

  ClassifierOptions copt;
  copt.rule_files = a.values("rules");
  const Classifier classifier(copt);
  ReaderOptions options = reader_options(a);
  options.view = View::attempts;  // every attempt: deferral rates need them
  options.classifier = &classifier;
  Reader reader(options);

  std::string stdin_bytes;
  const std::vector<InputSource> inputs = input_sources(a, io.in, stdin_bytes);
  Aggregate aggregate;
  const ParseStats stats = reader.read(inputs, [&](const Record& r) { aggregate.add(r); });
  const Report report = diagnose(aggregate, ropt);

  const bool tty = &io.out == &std::cout && ::isatty(STDOUT_FILENO);
  if (output == "json")
    io.out << render_json(report);
  else
    io.out << render_text(report, color == "always" || (color == "auto" && tty));
  if (const auto html = a.value("html")) {
    std::ofstream f(*html, std::ios::binary);
    if (!f) throw InputError("cannot write '" + *html + "'");
    f << render_html(report);
  }
  io.err << "bounce: " << stats.lines << " lines: " << stats.parsed << " parsed, " << stats.ignored
         << " ignored, " << stats.unparsed << " unparsed; " << stats.records << " records, "
         << report.findings.size() << " findings\n"
         << format_mismatch_warning(options, stats);
  return kExitOk;
}

}  // namespace bounce::cli
