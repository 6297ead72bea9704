// The Reader pipeline: chunks -> (parallel) line parsing -> (serial, in input
// order) time resolution, statistics and correlation -> records.
//
// Only the parse step runs in parallel; everything with cross-line state runs
// on the calling thread in input order, which is why the output does not
// depend on the number of threads or the chunk size. With several threads,
// workers parse the next chunks while the calling thread correlates the ones
// already parsed (io::OrderedPipeline).

#include "bounce/reader.hpp"

#include <ctime>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "bounce/error.hpp"
#include "correlate/exchange_correlator.hpp"
#include "correlate/exim_correlator.hpp"
#include "correlate/final_events.hpp"
#include "correlate/postfix_correlator.hpp"
#include "correlate/sendmail_correlator.hpp"
#include "formats/exchange_parser.hpp"
#include "formats/exim_parser.hpp"
#include "formats/postfix_event.hpp"
#include "formats/provider_events.hpp"
#include "formats/sendmail_parser.hpp"
#include "formats/syslog_header.hpp"
#include "io/chunk_source.hpp"
#include "io/follow_source.hpp"
#include "io/line_splitter.hpp"
#include "io/ordered_pipeline.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

using formats::LineClass;

// One line after the parse step, with what its format's parser made of it.
template <class Event>
struct ParsedLine {
  std::uint32_t index = 0;  // line number within the chunk, 0-based
  LineClass cls = LineClass::parsed;
  formats::LogTime time;
  std::string_view time_text, host, text;
  Event event;

  /// The line's time and host, as its header gave them.
  void stamp(const formats::LogTime& t, std::string_view t_text, std::string_view h) {
    time = t;
    time_text = t_text;
    host = h;
  }
};

// What a line parser says besides the event: the class, and the program to
// count the line under (none for a blank line of a format without programs).
struct LineVerdict {
  LineClass cls = LineClass::ignored;
  std::optional<std::string_view> program;
};

struct ProgramCount {
  std::string_view program;
  ParseStats::Counts counts;
};

template <class Event>
struct ParsedChunk {
  io::Chunk chunk;
  std::uint32_t line_count = 0;
  // Parsed and unparsed lines: the first `kept`. The vector only grows, so
  // its elements are parsed into in place, chunk after chunk.
  std::vector<ParsedLine<Event>> lines;
  std::size_t kept = 0;
  std::vector<ProgramCount> programs;  // every line with a program
  ParseStats::Counts unattributed;     // the others

  void reset(io::Chunk&& next) {
    chunk = std::move(next);
    kept = 0;
    programs.clear();
    unattributed = {};
    line_count = 0;
  }
};

// Asks for every cache line of `v` ahead of its use.
constexpr std::size_t kPrefetchAhead = 4;
template <class T>
void prefetch(const T& v) {
  const char* p = reinterpret_cast<const char*>(&v);
  for (std::size_t i = 0; i < sizeof(T); i += 64) __builtin_prefetch(p + i);
}

void add_to(ParseStats::Counts& counts, LineClass cls) {
  switch (cls) {
    case LineClass::parsed:
      ++counts.parsed;
      break;
    case LineClass::ignored:
      ++counts.ignored;
      break;
    case LineClass::unparsed:
      ++counts.unparsed;
      break;
  }
}

void count(std::vector<ProgramCount>& programs, std::string_view program, LineClass cls) {
  ProgramCount* pc = nullptr;
  for (auto& p : programs)  // a handful of programs: a linear scan beats hashing
    if (same_text(p.program, program)) {
      pc = &p;
      break;
    }
  if (!pc) pc = &programs.emplace_back(ProgramCount{program, {}});
  add_to(pc->counts, cls);
}

// Splits a chunk into lines and parses each one in place in `out.lines` with
// `parse_line(line, parsed_line) -> LineVerdict`. Ignored lines are only
// counted; `on_line` sees each parsed or unparsed line and says whether to
// keep it. In one thread it correlates the line at once and keeps nothing
// (the next line is parsed over it); on a worker it keeps every line for the
// serial step. Either way the same function decides what a line is.
template <class Event, class ParseLine, class OnLine>
void parse_chunk(ParsedChunk<Event>& out, const ParseLine& parse_line, OnLine&& on_line) {
  io::LineSplitter split(out.chunk.text);
  std::uint32_t index = 0;
  out.kept = 0;
  for (std::string_view line; split.next(line);) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (out.kept == out.lines.size()) out.lines.emplace_back();
    ParsedLine<Event>& pl = out.lines[out.kept];
    const LineVerdict v = parse_line(line, pl);
    if (v.program)
      count(out.programs, *v.program, v.cls);
    else
      add_to(out.unattributed, v.cls);
    if (v.cls != LineClass::ignored) {
      pl.index = index;
      pl.cls = v.cls;
      pl.text = line;
      if (on_line(pl)) ++out.kept;
    }
    ++index;
  }
  out.line_count = index;
}

// The Postfix parse step: syslog header, Postfix message, classification
// (everything it needs is on the line, so it runs on the workers too).
LineVerdict parse_postfix_line(const Classifier& classifier, std::string_view line,
                               ParsedLine<formats::PostfixEvent>& pl) {
  const formats::SyslogLine sl = formats::parse_syslog_line(line);
  LineClass cls = LineClass::ignored;
  if (!sl.has_header) {
    // No header: a message-only line if it reads as Postfix, else junk.
    if (!trim(line).empty()) {
      cls = formats::parse_postfix_message({}, line, pl.event);
      if (cls == LineClass::ignored) cls = LineClass::unparsed;
    }
  } else if (formats::is_postfix_program(sl.program)) {
    cls = formats::parse_postfix_message(formats::daemon_of(sl.program), sl.message, pl.event);
  }
  if (cls == LineClass::parsed) formats::classify_postfix_event(classifier, pl.event);
  pl.stamp(sl.time, sl.time_text, sl.host);
  return {cls, sl.program};
}

std::int32_t parse_tz(const std::string& tz) {
  if (tz.empty() || tz == "UTC" || tz == "utc" || tz == "Z" || tz == "GMT") return 0;
  const std::string_view s = tz;
  if (s.size() >= 3 && (s[0] == '+' || s[0] == '-') && is_digit(s[1]) && is_digit(s[2])) {
    const int hh = (s[1] - '0') * 10 + (s[2] - '0');
    std::size_t p = 3;
    if (p < s.size() && s[p] == ':') ++p;
    int mm = 0;
    if (p + 2 == s.size() && is_digit(s[p]) && is_digit(s[p + 1]))
      mm = (s[p] - '0') * 10 + (s[p + 1] - '0');
    else if (p != s.size())
      throw Error("invalid time zone '" + tz + "': use an offset such as +01:00 or -0500, or UTC");
    if (hh > 14 || mm > 59) throw Error("invalid time zone '" + tz + "'");
    return (s[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
  }
  throw Error("invalid time zone '" + tz + "': use an offset such as +01:00 or -0500, or UTC");
}

// Assigns years to RFC 3164 timestamps: a start year (given, or inferred from
// the file's modification time), advanced when the month goes back by more
// than half a year (December -> January).
class YearTracker {
 public:
  explicit YearTracker(int fixed_year) : fixed_(fixed_year) {}

  void start_input(std::int64_t mtime) {
    mtime_ = mtime;
    if (fixed_ == 0) year_ = 0;  // re-infer for each file
  }

  int year_for(const formats::LogTime& t) {
    if (year_ == 0) {
      if (fixed_ != 0) {
        year_ = fixed_;
      } else {
        const std::time_t ref = mtime_ >= 0 ? static_cast<std::time_t>(mtime_) : std::time(nullptr);
        std::tm tm{};
        gmtime_r(&ref, &tm);
        year_ = tm.tm_year + 1900;
        // A timestamp later in the year than the file's last write is last year's.
        if (t.month > tm.tm_mon + 1 || (t.month == tm.tm_mon + 1 && t.day > tm.tm_mday + 1))
          --year_;
      }
      last_month_ = t.month;
    }
    if (t.month + 6 < last_month_) ++year_;
    last_month_ = t.month;
    return year_;
  }

 private:
  int fixed_;
  int year_ = 0;
  int last_month_ = 0;
  std::int64_t mtime_ = -1;
};

enum class InputKind { postfix, exim, sendmail, exchange, json };

InputKind kind_of(Format f) {
  switch (f) {
    case Format::postfix:
      return InputKind::postfix;
    case Format::exim:
      return InputKind::exim;
    case Format::sendmail:
      return InputKind::sendmail;
    case Format::exchange:
      return InputKind::exchange;
    case Format::ses:
    case Format::sendgrid:
    case Format::mailgun:
    case Format::postmark:
    case Format::sparkpost:
      return InputKind::json;
  }
  return InputKind::postfix;  // not reached: the switch names every format
}

// Recognises an input from its first chunk: JSON, an Exchange tracking log
// (by its first line), or the syslog lines of the MTA most lines come from.
// Auto-detection reads this much of an input (at most 2000 lines of it),
// whatever the chunk size, so that the verdict never depends on the chunking.
constexpr std::size_t kDetectionWindow = 256u << 10;

InputKind detect(std::string_view sample, std::string_view file) {
  sample = sample.substr(0, kDetectionWindow);
  if (formats::looks_like_json(sample)) return InputKind::json;
  if (formats::looks_like_exchange(sample.substr(0, sample.find('\n')))) return InputKind::exchange;
  std::size_t lines = 0, blank = 0, postfix = 0, sendmail = 0, exim = 0;
  io::LineSplitter split(sample);
  for (std::string_view line; lines < 2000 && split.next(line);) {
    ++lines;
    if (trim(line).empty()) ++blank;
    const formats::SyslogLine sl = formats::parse_syslog_line(line);
    if (formats::is_postfix_program(sl.program)) ++postfix;
    const std::string_view d = formats::daemon_of(sl.program);
    if (formats::is_sendmail_program(sl.program)) ++sendmail;
    if (d == "exim" || (line.size() > 20 && line[4] == '-' && line[10] == ' ' &&
                        (line.find(" <= ") != std::string_view::npos ||
                         line.find(" => ") != std::string_view::npos ||
                         line.find(" ** ") != std::string_view::npos)))
      ++exim;
  }
  if (postfix > 0 && postfix >= sendmail && postfix >= exim) return InputKind::postfix;
  if (exim > 0 && exim >= sendmail) return InputKind::exim;
  if (sendmail > 0) return InputKind::sendmail;
  if (blank == lines) return InputKind::postfix;  // nothing but blank lines: counted as ignored
  throw InputError(std::string(file) +
                   ": cannot recognise the format (no Postfix, Exim, Sendmail or Exchange lines "
                   "and no " +
                   "JSON in the first " + std::to_string(lines) +
                   " lines); name it with --format if it is one of the supported formats");
}

std::shared_ptr<const Classifier> default_classifier() {
  static const auto shared = std::make_shared<const Classifier>();
  return shared;
}

}  // namespace

void ParseStats::merge(const ParseStats& o) {
  lines += o.lines;
  parsed += o.parsed;
  ignored += o.ignored;
  unparsed += o.unparsed;
  bytes += o.bytes;
  records += o.records;
  evicted_messages += o.evicted_messages;
  for (const auto& [program, c] : o.by_program) {
    Counts& mine = by_program[program];
    mine.parsed += c.parsed;
    mine.ignored += c.ignored;
    mine.unparsed += c.unparsed;
  }
}

struct Reader::Impl {
  ReaderOptions options;
  std::int32_t tz_offset = 0;
  std::shared_ptr<const Classifier> owned_classifier;
};

Reader::Reader(ReaderOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->tz_offset = parse_tz(options.tz);
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options.chunk_size < 4096) options.chunk_size = 4096;
  if (!options.classifier) impl_->owned_classifier = default_classifier();
  impl_->options = std::move(options);
}

Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;

const ReaderOptions& Reader::options() const noexcept { return impl_->options; }

ParseStats Reader::read_file(const std::string& path,
                             const std::function<void(const Record&)>& on_record) {
  const InputSource input = path == "-" ? InputSource::standard_input() : InputSource::file(path);
  return read(std::span<const InputSource>(&input, 1), on_record);
}

ParseStats Reader::read(std::span<const InputSource> inputs,
                        const std::function<void(const Record&)>& on_record) {
  const ReaderOptions& opt = impl_->options;
  const Classifier& classifier = opt.classifier ? *opt.classifier : *impl_->owned_classifier;
  ParseStats stats;
  correlate::PostfixCorrelator correlator(opt.view, opt.max_open_messages, opt.max_message_age_s,
                                          [&](const Record& r) {
                                            ++stats.records;
                                            on_record(r);
                                          });
  YearTracker years(opt.year);
  const auto count_and_pass = [&](const Record& r) {
    ++stats.records;
    on_record(r);
  };
  correlate::EximCorrelator exim(opt.view, opt.max_open_messages, count_and_pass);
  correlate::SendmailCorrelator sendmail(classifier, opt.view, opt.max_open_messages,
                                         count_and_pass);
  correlate::ExchangeCorrelator exchange(classifier, opt.view, opt.max_open_messages,
                                         count_and_pass);

  // Open every input first so that a missing file fails before any output.
  std::vector<std::unique_ptr<io::ChunkSource>> sources;
  std::uint64_t total = 0;
  if (opt.follow) {
    if (inputs.size() != 1 || inputs[0].kind != InputSource::Kind::file)
      throw Error("follow mode reads exactly one log file (not standard input or memory)");
    sources.push_back(
        std::make_unique<io::FollowSource>(inputs[0].name, opt.follow_poll, opt.keep_following));
  }
  for (const InputSource& in : opt.follow ? std::span<const InputSource>{} : inputs) {
    sources.push_back(io::ChunkSource::open(in, opt.max_expansion_ratio));
    total += sources.back()->total();
  }

  // A line's time in UTC: RFC 3164 times get their year from the tracker,
  // and times without a zone the reader's.
  const auto set_time = [&](correlate::LineContext& ctx, const formats::LogTime& t,
                            std::string_view text) {
    ctx.time_text = text;
    if (!t.present()) return;
    ctx.time_us = formats::to_utc_micros(t, t.year ? t.year : years.year_for(t), impl_->tz_offset);
    ctx.has_time = true;
  };

  std::string_view file;
  std::uint64_t line_base = 0;
  std::uint64_t done_before = 0;
  // Provider events in the final view: the last event per (message, recipient),
  // in order of first appearance, emitted when the input ends (or early, by
  // the bound on open messages).
  correlate::FinalEvents final_events(opt.max_open_messages, count_and_pass);
  const std::function<void(const Record&)> on_event = [&](const Record& r) {
    if (opt.view == View::final) return final_events.add(r);
    count_and_pass(r);
  };

  // With several threads: this one correlates (and parses while it would
  // otherwise wait), the others only parse; a third worker beside two cores'
  // worth of work measured 20% slower. The chunks in flight: one per thread
  // and two more, so that a worker seldom waits for the correlation to free a
  // slot.
  const unsigned parse_workers = opt.threads - 1;
  const std::size_t pipeline_depth = opt.threads + 2;
  const auto report_progress = [&](const io::ChunkSource& src) {
    if (opt.on_progress) opt.on_progress(done_before + src.consumed(), total);
  };

  // Reads one input of a line format: `parse_line(line, parsed_line)` is the
  // parse step (on workers when `parallel`), `add(event, ctx)` the serial
  // step's correlation, `problem(parsed_line)` what an unparsed line should
  // have been. With one thread (or a followed file, whose records must not
  // wait for a batch) each line is correlated as it is parsed. With several,
  // parse_workers threads parse up to pipeline_depth chunks ahead while this
  // thread correlates, in input order.
  const auto read_lines = [&]<class Event>(std::type_identity<Event>, io::ChunkSource& src,
                                           std::optional<io::Chunk> first, bool parallel,
                                           const auto& parse_line, const auto& problem,
                                           const auto& add) {
    // The serial step for one line: diagnostics, time, correlation.
    const auto consume = [&](const ParsedLine<Event>& pl) {
      const std::uint64_t line_no = line_base + pl.index + 1;
      if (pl.cls == LineClass::unparsed) {
        const std::string_view expected = problem(pl);
        if (opt.on_diagnostic) opt.on_diagnostic(Diagnostic{file, line_no, pl.text, expected});
        if (opt.strict)
          throw InputError(std::string(file) + ":" + std::to_string(line_no) +
                           ": unparsed line (expected " + std::string(expected) + ")");
        return;
      }
      correlate::LineContext ctx;
      ctx.file = file;
      ctx.line = line_no;
      ctx.host = pl.host;
      set_time(ctx, pl.time, pl.time_text);
      add(pl.event, ctx);
    };
    // After a chunk's lines: its statistics, and the next chunk's first line number.
    const auto account = [&](const ParsedChunk<Event>& pc) {
      stats.lines += pc.line_count;
      stats.bytes += pc.chunk.text.size();
      const auto add_counts = [&](const ParseStats::Counts& c) {
        stats.parsed += c.parsed;
        stats.ignored += c.ignored;
        stats.unparsed += c.unparsed;
      };
      for (const ProgramCount& p : pc.programs) {
        ParseStats::Counts& c = stats.by_program[std::string(p.program)];
        c.parsed += p.counts.parsed;
        c.ignored += p.counts.ignored;
        c.unparsed += p.counts.unparsed;
        add_counts(p.counts);
      }
      add_counts(pc.unattributed);
      line_base += pc.line_count;
      report_progress(src);
    };
    const auto next_chunk = [&]() -> std::optional<io::Chunk> {
      if (first) return std::exchange(first, std::nullopt);
      return src.next(opt.chunk_size);
    };
    if (!parallel || opt.threads == 1 || opt.follow) {
      ParsedChunk<Event> pc;
      while (auto chunk = next_chunk()) {
        pc.reset(std::move(*chunk));
        parse_chunk(pc, parse_line, [&](const ParsedLine<Event>& pl) {
          consume(pl);
          return false;
        });
        account(pc);
        pc.chunk = {};  // release the bytes
      }
    } else {
      io::OrderedPipeline<ParsedChunk<Event>> pipeline(
          parse_workers, pipeline_depth, [&parse_line](ParsedChunk<Event>& pc) {
            parse_chunk(pc, parse_line, [](const ParsedLine<Event>&) { return true; });
          });
      pipeline.run(
          next_chunk, [](ParsedChunk<Event>& pc, io::Chunk&& chunk) { pc.reset(std::move(chunk)); },
          [&](ParsedChunk<Event>& pc) {
            // line_base must be the chunk's own start while its lines are consumed.
            for (std::size_t k = 0; k < pc.kept; ++k) {
              // The lines were parsed on another core: fetch one a few ahead
              // while this one is correlated (its fields span several cache
              // lines, which the hardware prefetcher does not foresee).
              if (k + kPrefetchAhead < pc.kept) prefetch(pc.lines[k + kPrefetchAhead]);
              consume(pc.lines[k]);
            }
            account(pc);
            pc.chunk = {};  // release the bytes
          });
    }
    done_before += src.consumed();
  };

  // Blank lines of the formats without programs: ignored, under no program.
  const auto blank = [](std::string_view line) { return trim(line).empty(); };

  for (std::size_t i = 0; i < sources.size(); ++i) {
    io::ChunkSource& src = *sources[i];
    file = inputs[i].name;
    line_base = 0;
    years.start_input(src.mtime());
    // When the format is to be detected, the first chunk holds the whole
    // detection window (a source fills a chunk to its target unless the
    // input ends first).
    std::optional<io::Chunk> first =
        src.next(opt.format ? opt.chunk_size : std::max(opt.chunk_size, kDetectionWindow));
    if (!first) continue;  // an empty input: no lines
    const InputKind kind = opt.format ? kind_of(*opt.format) : detect(first->text, file);
    if (kind == InputKind::postfix) {
      read_lines(
          std::type_identity<formats::PostfixEvent>{}, src, std::move(first), true,
          [&classifier](std::string_view line, ParsedLine<formats::PostfixEvent>& pl) {
            return parse_postfix_line(classifier, line, pl);
          },
          [](const ParsedLine<formats::PostfixEvent>& pl) {
            return pl.time.present() ? "a Postfix line that does not follow its documented format"
                                     : "a syslog header or a Postfix 'QUEUEID: ...' message";
          },
          [&](const formats::PostfixEvent& e, const correlate::LineContext& ctx) {
            correlator.add(e, ctx);
          });
      continue;
    }
    if (kind == InputKind::exim) {
      // Exim lines carry their year.
      read_lines(
          std::type_identity<formats::EximEvent>{}, src, std::move(first), true,
          [&](std::string_view line, ParsedLine<formats::EximEvent>& pl) -> LineVerdict {
            if (blank(line)) return {};
            pl.event = {};
            const LineClass cls = formats::parse_exim_line(line, pl.event);
            if (cls == LineClass::parsed) formats::classify_exim_event(classifier, pl.event);
            pl.stamp(pl.event.time, pl.event.time_text, pl.event.host);
            return {cls, "exim"};
          },
          [](const auto&) { return "an Exim log line (DATE TIME [ID] ...)"; },
          [&](const formats::EximEvent& e, const correlate::LineContext& ctx) {
            exim.add(e, ctx);
          });
      continue;
    }
    if (kind == InputKind::sendmail) {
      read_lines(
          std::type_identity<formats::SendmailEvent>{}, src, std::move(first), true,
          [&](std::string_view line, ParsedLine<formats::SendmailEvent>& pl) -> LineVerdict {
            if (blank(line)) return {};
            pl.event = {};
            const LineClass cls = formats::parse_sendmail_line(line, pl.event);
            const formats::SyslogLine& h = pl.event.header;
            pl.stamp(h.time, h.time_text, h.host);
            return {cls, h.program};
          },
          [](const auto&) { return "a syslog line of sendmail, sm-mta or sm-msp-queue"; },
          [&](const formats::SendmailEvent& e, const correlate::LineContext& ctx) {
            sendmail.add(e, ctx);
          });
      continue;
    }
    if (kind == InputKind::exchange) {
      // Columns are per file (a #Fields line may come back mid-file), so the
      // rows are parsed in order on this thread; so is correlation (message
      // ids are global, but each server's log is read on its own).
      formats::ExchangeParser parser;
      read_lines(
          std::type_identity<formats::ExchangeRow>{}, src, std::move(first), false,
          [&](std::string_view line, ParsedLine<formats::ExchangeRow>& pl) -> LineVerdict {
            if (blank(line)) return {};
            pl.event = {};
            const LineClass cls = parser.parse(line, pl.event);
            pl.stamp(cls == LineClass::parsed ? pl.event.time : formats::LogTime{},
                     pl.event.time_text, {});
            return {cls, "exchange"};
          },
          [](const auto&) { return "an Exchange message tracking CSV row"; },
          [&](const formats::ExchangeRow& row, const correlate::LineContext& ctx) {
            exchange.add(row, ctx);
          });
      exchange.finish();
      continue;
    }
    if (kind == InputKind::json) {
      if (opt.follow)
        throw InputError(std::string(file) +
                         ": provider event exports are read as files; follow mode is for logs");
      // NDJSON streams chunk by chunk (with several threads, the chunks after
      // the first are parsed on workers and handed over in order); an array
      // is split into its elements as it comes; any other document is parsed
      // at its end.
      formats::ProviderEventStream events(file, classifier, stats, on_event, opt.on_diagnostic);
      const auto check_strict = [&] {
        if (opt.strict && stats.unparsed)
          throw InputError(std::string(file) + ": a document is not a valid provider event");
      };
      events.add(first->text);
      first.reset();
      check_strict();
      report_progress(src);
      if (events.ndjson() && opt.threads > 1) {
        struct Slot {
          io::Chunk chunk;
          formats::ProviderEventChunk events;
        };
        std::uint64_t line_base_json = events.lines();
        io::OrderedPipeline<Slot> pipeline(parse_workers, pipeline_depth, [&](Slot& s) {
          s.events.parse(s.chunk.text, file, classifier);
        });
        pipeline.run(
            [&] { return src.next(opt.chunk_size); },
            [](Slot& s, io::Chunk&& chunk) { s.chunk = std::move(chunk); },
            [&](Slot& s) {
              for (const formats::ProviderEventChunk::Bad& b : s.events.bad)
                if (opt.on_diagnostic)
                  opt.on_diagnostic(Diagnostic{file, line_base_json + b.line, b.text, b.problem});
              for (Record& r : s.events.records) {
                r.line += line_base_json;
                on_event(r);
              }
              stats.merge(s.events.stats);
              line_base_json += s.events.lines;
              s.chunk = {};  // release the bytes
              check_strict();
              report_progress(src);
            });
      } else {
        while (auto chunk = src.next(opt.chunk_size)) {
          events.add(chunk->text);
          check_strict();
          report_progress(src);
        }
      }
      events.finish();
      check_strict();
      done_before += src.consumed();
      continue;
    }
  }
  final_events.finish();
  correlator.finish();
  exim.finish();
  sendmail.finish();
  stats.evicted_messages = correlator.evicted() + exim.evicted() + sendmail.evicted() +
                           exchange.evicted() + final_events.evicted();
  return stats;
}

}  // namespace bounce
