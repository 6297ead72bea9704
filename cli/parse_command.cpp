// `bounce parse`: logs in, classified per-recipient records out.

#include <iostream>
#include <optional>

#include "arguments.hpp"
#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "cli.hpp"
#include "commands.hpp"
#include "reader_arguments.hpp"
#include "record_fields.hpp"
#include "stop_on_signal.hpp"

namespace bounce::cli {
namespace {

constexpr const char* kHelp = R"(usage: bounce parse [options] FILE...   ('-' reads standard input)

Parse mail logs into one classified record per recipient and delivery attempt.
Rotated sets (mail.log, mail.log.1, mail.log.2.gz, dated suffixes) are read
oldest first; gzip and zstd are detected by content.

options:
  --output FORMAT   jsonl (default), csv or tsv (both with a header line)
  --view VIEW       attempts (default: every attempt) or final (one record per
                    message and recipient, with its last outcome)
  --format NAME     input format: auto (default: recognised per file), postfix,
                    exim, sendmail, exchange, or a provider's events: ses,
                    sendgrid, mailgun, postmark, sparkpost
  --year N          year of the first RFC 3164 timestamp (default: from the
                    file's modification time)
  --tz OFFSET       zone of timestamps without one, e.g. +01:00 (default UTC)
  --threads N       threads in all, the correlating one included (default 0 =
                    all cores); same output for any N
  --strict          stop at the first unparsed line (exit 1, naming file:line)
  --follow          like tail -F: read FILE, then keep reading the lines
                    written to it, through rotation (rename or copytruncate),
                    until interrupted (Ctrl-C, SIGTERM); one FILE only
  --rules FILE      user classification rules (TSV or JSON); repeatable
  --max-expansion N refuse compressed input that expands more than N times
                    (default 200, past a first 64 MiB; 0 = no limit)
  --stats           print line counts per program on stderr at the end
  --quiet           no summary on stderr

The summary on stderr accounts for every line: parsed + ignored + unparsed.
)";

void escape_csv(std::string& out, std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(cell);
    return;
  }
  out.push_back('"');
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void escape_tsv(std::string& out, std::string_view cell) {
  for (char c : cell) out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
}

}  // namespace

int parse_command(const std::vector<std::string>& args, Streams io) {
  std::set<std::string> valued = reader_option_names();
  valued.insert({"output", "view"});
  const Arguments a(args, valued, {"help", "strict", "stats", "quiet", "follow"});
  if (a.flag("help")) {
    io.out << kHelp;
    return kExitOk;
  }
  if (a.positional().empty()) throw UsageError("parse needs at least one FILE (or '-')");
  const std::string output = a.value_or("output", "jsonl");
  if (output != "jsonl" && output != "csv" && output != "tsv")
    throw UsageError("--output must be jsonl, csv or tsv");
  const std::string view = a.value_or("view", "attempts");
  if (view != "attempts" && view != "final") throw UsageError("--view must be attempts or final");
  ReaderOptions options = reader_options(a);
  ClassifierOptions copt;
  copt.rule_files = a.values("rules");
  const Classifier classifier(copt);
  options.view = view == "final" ? View::final : View::attempts;
  options.strict = a.flag("strict");
  options.classifier = &classifier;

  std::string buf;
  auto flush = [&] {
    io.out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.clear();
  };
  std::optional<StopOnSignal> stop;
  if (a.flag("follow")) {
    if (a.positional().size() != 1 || a.positional()[0] == "-")
      throw UsageError("--follow reads exactly one FILE");
    stop.emplace();
    options.follow = true;
    options.keep_following = [&stop] { return !stop->requested(); };
    // Records are wanted as their lines arrive: write them out after each chunk.
    options.on_progress = [&](std::uint64_t, std::uint64_t) {
      flush();
      io.out.flush();
    };
  }
  Reader reader(options);
  if (output != "jsonl") {
    bool first = true;
    for (auto col : record_columns()) {
      if (!first) buf.push_back(output == "csv" ? ',' : '\t');
      first = false;
      buf.append(col);
    }
    buf.push_back('\n');
  }
  std::string stdin_bytes;
  const std::vector<InputSource> inputs = input_sources(a, io.in, stdin_bytes);
  const ParseStats stats = reader.read(inputs, [&](const Record& r) {
    if (output == "jsonl") {
      JsonObject obj(buf);
      write_record_json(obj, r);
      obj.close();
    } else {
      bool first = true;
      for (const auto& cell : record_cells(r)) {
        if (!first) buf.push_back(output == "csv" ? ',' : '\t');
        first = false;
        if (output == "csv")
          escape_csv(buf, cell);
        else
          escape_tsv(buf, cell);
      }
    }
    buf.push_back('\n');
    if (buf.size() > (1u << 20)) flush();
  });
  flush();
  io.out.flush();
  if (!a.flag("quiet")) {
    io.err << "bounce: " << stats.lines << " lines: " << stats.parsed << " parsed, "
           << stats.ignored << " ignored, " << stats.unparsed << " unparsed; " << stats.records
           << " records";
    if (stats.evicted_messages) io.err << "; " << stats.evicted_messages << " messages evicted";
    io.err << '\n';
  }
  io.err << format_mismatch_warning(options, stats);
  if (a.flag("stats")) {
    for (const auto& [program, c] : stats.by_program)
      io.err << "  " << (program.empty() ? "(no header)" : program) << ": " << c.parsed
             << " parsed, " << c.ignored << " ignored, " << c.unparsed << " unparsed\n";
  }
  return kExitOk;
}

}  // namespace bounce::cli
