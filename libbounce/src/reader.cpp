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
#include <unordered_map>
#include <utility>

#include "bounce/error.hpp"
#include "correlate/exchange_correlator.hpp"
#include "correlate/exim_correlator.hpp"
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
#include "io/ordered_pipeline.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

using formats::LineClass;

// One line after the parallel step. Ignored lines keep no event.
struct ParsedLine {
  std::uint32_t index = 0;  // line number within the chunk, 0-based
  LineClass cls = LineClass::parsed;
  formats::LogTime time;
  std::string_view time_text, host, text;
  formats::PostfixEvent event;
};

struct ProgramCount {
  std::string_view program;
  ParseStats::Counts counts;
};

struct ParsedChunk {
  io::Chunk chunk;
  std::uint32_t line_count = 0;
  // Parsed and unparsed lines: the first `kept`. The vector only grows, so
  // its elements are parsed into in place, chunk after chunk.
  std::vector<ParsedLine> lines;
  std::size_t kept = 0;
  std::vector<ProgramCount> programs;  // every line, by program
};

void count(std::vector<ProgramCount>& programs, std::string_view program, LineClass cls) {
  ProgramCount* pc = nullptr;
  for (auto& p : programs)  // a handful of programs: a linear scan beats hashing
    if (p.program.size() == program.size() && p.program == program) {
      pc = &p;
      break;
    }
  if (!pc) pc = &programs.emplace_back(ProgramCount{program, {}});
  switch (cls) {
    case LineClass::parsed:
      ++pc->counts.parsed;
      break;
    case LineClass::ignored:
      ++pc->counts.ignored;
      break;
    case LineClass::unparsed:
      ++pc->counts.unparsed;
      break;
  }
}

// Splits a chunk into lines and parses each one in place in `out.lines`.
// Ignored lines are only counted; `on_line` sees each parsed or unparsed line
// and says whether to keep it. With one thread it correlates the line at once
// and keeps nothing (the next line is parsed over it); with several it keeps
// every line for the serial step. Either way the same function decides what a
// line is.
template <class OnLine>
void parse_chunk(ParsedChunk& out, const Classifier& classifier, OnLine&& on_line) {
  std::string_view text = out.chunk.text;
  std::uint32_t index = 0;
  out.kept = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (out.kept == out.lines.size()) out.lines.emplace_back();
    ParsedLine& pl = out.lines[out.kept];
    const formats::SyslogLine sl = formats::parse_syslog_line(line);
    LineClass cls = LineClass::ignored;
    if (!sl.has_header) {
      // No header: a message-only line if it reads as Postfix, else junk.
      cls = trim(line).empty() ? LineClass::ignored
                               : formats::parse_postfix_message({}, line, pl.event);
      if (cls == LineClass::ignored && !trim(line).empty()) cls = LineClass::unparsed;
    } else if (formats::is_postfix_program(sl.program)) {
      cls = formats::parse_postfix_message(formats::daemon_of(sl.program), sl.message, pl.event);
    }
    count(out.programs, sl.program, cls);
    if (cls == LineClass::parsed) formats::classify_postfix_event(classifier, pl.event);
    if (cls != LineClass::ignored) {
      pl.index = index;
      pl.cls = cls;
      pl.time = sl.time;
      pl.time_text = sl.time_text;
      pl.host = sl.host;
      pl.text = line;
      if (on_line(pl)) ++out.kept;
    }
    ++index;
  }
  out.line_count = index;
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
InputKind detect(std::string_view sample, std::string_view file) {
  if (formats::looks_like_json(sample)) return InputKind::json;
  if (formats::looks_like_exchange(sample.substr(0, sample.find('\n')))) return InputKind::exchange;
  std::size_t lines = 0, blank = 0, postfix = 0, sendmail = 0, exim = 0;
  while (!sample.empty() && lines < 2000) {
    const std::size_t nl = sample.find('\n');
    const std::string_view line = sample.substr(0, nl);
    sample = nl == std::string_view::npos ? std::string_view{} : sample.substr(nl + 1);
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
  correlate::EximCorrelator exim(classifier, opt.view, opt.max_open_messages, count_and_pass);
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

  // The serial step for one line: statistics, diagnostics, time, correlation.
  std::string_view file;
  std::uint64_t line_base = 0;
  auto consume = [&](const ParsedLine& pl) {
    const std::uint64_t line_no = line_base + pl.index + 1;
    if (pl.cls == LineClass::unparsed) {
      const std::string_view problem =
          pl.time.present() ? "a Postfix line that does not follow its documented format"
                            : "a syslog header or a Postfix 'QUEUEID: ...' message";
      if (opt.on_diagnostic) opt.on_diagnostic(Diagnostic{file, line_no, pl.text, problem});
      if (opt.strict)
        throw InputError(std::string(file) + ":" + std::to_string(line_no) +
                         ": unparsed line (expected " + std::string(problem) + ")");
      return;
    }
    correlate::LineContext ctx;
    ctx.file = file;
    ctx.line = line_no;
    ctx.host = pl.host;
    set_time(ctx, pl.time, pl.time_text);
    correlator.add(pl.event, ctx);
  };
  auto account = [&](const ParsedChunk& pc) {
    stats.lines += pc.line_count;
    stats.bytes += pc.chunk.text.size();
    for (const ProgramCount& p : pc.programs) {
      ParseStats::Counts& c = stats.by_program[std::string(p.program)];
      c.parsed += p.counts.parsed;
      c.ignored += p.counts.ignored;
      c.unparsed += p.counts.unparsed;
      stats.parsed += p.counts.parsed;
      stats.ignored += p.counts.ignored;
      stats.unparsed += p.counts.unparsed;
    }
    line_base += pc.line_count;
  };

  // One thread (or a followed file, whose records must not wait for a batch):
  // each line is correlated as it is parsed, in this reused chunk. Several:
  // `threads` workers parse up to threads + 2 chunks ahead (slack so that a
  // worker seldom waits for the correlation to free a slot).
  ParsedChunk inline_chunk;
  std::optional<io::OrderedPipeline<ParsedChunk>> pipeline;
  const auto reset = [](ParsedChunk& pc, io::Chunk&& chunk) {
    pc.chunk = std::move(chunk);
    pc.kept = 0;
    pc.programs.clear();
    pc.line_count = 0;
  };
  std::uint64_t done_before = 0;
  // Provider events in the final view: the last event per (message, recipient),
  // in order of first appearance, emitted when the input ends.
  std::vector<OwnedRecord> final_events;
  std::unordered_map<std::string, std::size_t> final_index;
  const std::function<void(const Record&)> on_event = [&](const Record& r) {
    if (opt.view == View::attempts) {
      ++stats.records;
      on_record(r);
      return;
    }
    std::string key(to_string(r.format));
    key.append("\x1f").append(r.message_key).append("\x1f").append(r.recipient);
    const auto [it, inserted] = final_index.try_emplace(std::move(key), final_events.size());
    if (inserted)
      final_events.emplace_back(r);
    else
      final_events[it->second] = OwnedRecord(r);
  };

  // Formats read line by line in one thread: parse(line, ctx) classifies the
  // line, fills ctx and correlates it; it returns the class and the program
  // to count the line under.
  const auto read_serially = [&](io::ChunkSource& src, std::optional<io::Chunk> first,
                                 std::string_view expected, const auto& parse) {
    for (std::optional<io::Chunk> chunk = std::move(first); chunk;
         chunk = src.next(opt.chunk_size)) {
      std::string_view text = chunk->text;
      stats.bytes += text.size();
      while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        ++stats.lines;
        correlate::LineContext ctx;
        ctx.file = file;
        ctx.line = ++line_base;
        if (trim(line).empty()) {
          ++stats.ignored;
          continue;
        }
        const auto [cls, program] = parse(line, ctx);
        ParseStats::Counts& counts = stats.by_program[std::string(program)];
        if (cls == LineClass::parsed) {
          ++stats.parsed, ++counts.parsed;
        } else if (cls == LineClass::ignored) {
          ++stats.ignored, ++counts.ignored;
        } else {
          ++stats.unparsed, ++counts.unparsed;
          if (opt.on_diagnostic) opt.on_diagnostic(Diagnostic{file, ctx.line, line, expected});
          if (opt.strict)
            throw InputError(std::string(file) + ":" + std::to_string(ctx.line) +
                             ": unparsed line (expected " + std::string(expected) + ")");
        }
      }
      if (opt.on_progress) opt.on_progress(done_before + src.consumed(), total);
    }
    done_before += src.consumed();
  };

  for (std::size_t i = 0; i < sources.size(); ++i) {
    io::ChunkSource& src = *sources[i];
    file = inputs[i].name;
    line_base = 0;
    years.start_input(src.mtime());
    std::optional<io::Chunk> first = src.next(opt.chunk_size);
    if (!first) continue;  // an empty input: no lines
    const InputKind kind = opt.format ? kind_of(*opt.format) : detect(first->text, file);
    if (kind == InputKind::exim) {
      // Exim lines carry their year and are correlated in one pass.
      read_serially(src, std::move(first), "an Exim log line (DATE TIME [ID] ...)",
                    [&](std::string_view line, correlate::LineContext& ctx) {
                      formats::EximEvent e;
                      const LineClass cls = formats::parse_exim_line(line, e);
                      ctx.host = e.host;
                      set_time(ctx, e.time, e.time_text);
                      if (cls == LineClass::parsed) exim.add(e, ctx);
                      return std::pair(cls, std::string_view("exim"));
                    });
      continue;
    }
    if (kind == InputKind::sendmail) {
      read_serially(src, std::move(first), "a syslog line of sendmail, sm-mta or sm-msp-queue",
                    [&](std::string_view line, correlate::LineContext& ctx) {
                      formats::SendmailEvent e;
                      const LineClass cls = formats::parse_sendmail_line(line, e);
                      const formats::SyslogLine& h = e.header;
                      ctx.host = h.host;
                      set_time(ctx, h.time, h.time_text);
                      if (cls == LineClass::parsed) sendmail.add(e, ctx);
                      return std::pair(cls, h.program);
                    });
      continue;
    }
    if (kind == InputKind::exchange) {
      // Columns are per file, and so is correlation (message ids are global,
      // but each server's log is read on its own).
      formats::ExchangeParser parser;
      read_serially(src, std::move(first), "an Exchange message tracking CSV row",
                    [&](std::string_view line, correlate::LineContext& ctx) {
                      formats::ExchangeRow row;
                      const LineClass cls = parser.parse(line, row);
                      if (cls == LineClass::parsed) {
                        set_time(ctx, row.time, row.time_text);
                        exchange.add(row, ctx);
                      }
                      return std::pair(cls, std::string_view("exchange"));
                    });
      exchange.finish();
      continue;
    }
    if (kind == InputKind::json) {
      if (opt.follow)
        throw InputError(std::string(file) +
                         ": provider event exports are read as files; follow mode is for logs");
      // NDJSON streams chunk by chunk; a one-document file is parsed at its end.
      formats::ProviderEventStream events(file, classifier, stats, on_event, opt.on_diagnostic);
      const auto check_strict = [&] {
        if (opt.strict && stats.unparsed)
          throw InputError(std::string(file) + ": a document is not a valid provider event");
      };
      for (std::optional<io::Chunk> chunk = std::move(first); chunk;
           chunk = src.next(opt.chunk_size)) {
        events.add(chunk->text);
        check_strict();
        if (opt.on_progress) opt.on_progress(done_before + src.consumed(), total);
      }
      events.finish();
      check_strict();
      done_before += src.consumed();
      continue;
    }
    const auto next_chunk = [&]() -> std::optional<io::Chunk> {
      if (first) return std::exchange(first, std::nullopt);
      return src.next(opt.chunk_size);
    };
    if (opt.threads == 1 || opt.follow) {
      while (auto chunk = next_chunk()) {
        reset(inline_chunk, std::move(*chunk));
        parse_chunk(inline_chunk, classifier, [&](const ParsedLine& pl) {
          consume(pl);
          return false;
        });
        account(inline_chunk);
        inline_chunk.chunk = {};  // release the bytes
        if (opt.on_progress) opt.on_progress(done_before + src.consumed(), total);
      }
    } else {
      if (!pipeline)
        pipeline.emplace(opt.threads, opt.threads + 2, [&classifier](ParsedChunk& pc) {
          parse_chunk(pc, classifier, [](const ParsedLine&) { return true; });
        });
      bool more = true;
      for (;;) {
        while (more && !pipeline->full()) {
          auto chunk = next_chunk();
          more = chunk.has_value();
          if (!more) break;
          reset(pipeline->back(), std::move(*chunk));
          pipeline->submit();
        }
        if (pipeline->empty()) break;
        ParsedChunk& pc = pipeline->front();
        // line_base must be the chunk's own start while its lines are consumed.
        for (std::size_t k = 0; k < pc.kept; ++k) consume(pc.lines[k]);
        account(pc);
        pc.chunk = {};  // release the bytes
        pipeline->pop();
        if (opt.on_progress) opt.on_progress(done_before + src.consumed(), total);
      }
    }
    done_before += src.consumed();
  }
  for (const OwnedRecord& r : final_events) {
    ++stats.records;
    on_record(r.get());
  }
  correlator.finish();
  exim.finish();
  sendmail.finish();
  stats.evicted_messages =
      correlator.evicted() + exim.evicted() + sendmail.evicted() + exchange.evicted();
  return stats;
}

}  // namespace bounce
