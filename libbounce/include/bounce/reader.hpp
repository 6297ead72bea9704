// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/reader.hpp - from log files to classified per-recipient records.
//
// A Reader reads inputs (files, stdin, memory), in order, decompressing gzip
// and zstd transparently (detected by magic bytes), splits them into
// newline-aligned chunks, parses the lines (in parallel when threads > 1),
// joins the lines of each message (the correlator) and hands every record to
// a callback, classified.
//
// EXAMPLE:
//
//   bounce::ReaderOptions options;
//   options.view = bounce::View::final;       // one record per (message, recipient)
//   options.year = 2025;                      // RFC 3164 timestamps carry no year
//   bounce::Reader reader(options);
//   bounce::ParseStats stats = reader.read(
//       bounce::order_rotated({"/var/log/mail.log", "/var/log/mail.log.1",
//                              "/var/log/mail.log.2.gz"}),
//       [](const bounce::Record& r) {
//         if (r.classification.suppress_recipient) std::cout << r.recipient << '\n';
//       });
//   // stats.lines == stats.parsed + stats.ignored + stats.unparsed, always.
//
// VIEWS: View::attempts emits a record for every delivery attempt as its line
// is read; View::final emits one record per (message, recipient) with the last
// decisive outcome, when the message leaves the queue (`removed`), expires, is
// evicted, or when the input ends (then still-queued recipients are deferred).
//
// DETERMINISM: the records, and their order, do not depend on the number of
// threads, the chunk size or the compression of the input.
//
// COST: parsing is linear in the input. Memory is bounded: with N threads,
// N + 2 chunks are in flight (each takes about 0.6 KB per parsed line while its
// lines wait for correlation), plus the correlator's open messages, which are
// capped (max_open_messages, max_message_age_s). Evictions are counted.
//
// ERRORS: an input that cannot be opened or decompressed throws InputError
// naming it; a bad line never throws: it is counted as unparsed (and reported
// through on_diagnostic when set), unless strict is set.
//
// THREAD SAFETY: a Reader may be used by one thread at a time; create one per
// thread. The callback runs on the calling thread.

#ifndef BOUNCE_READER_HPP_
#define BOUNCE_READER_HPP_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/export.hpp"
#include "bounce/record.hpp"

namespace bounce {

/// Which records a Reader emits; see the file comment.
enum class View : std::uint8_t { attempts, final };

/// One input: a file, standard input, or bytes in memory.
struct BOUNCE_EXPORT InputSource {
  enum class Kind : std::uint8_t { file, standard_input, memory };
  Kind kind = Kind::file;
  std::string name;          ///< the path, "-" for stdin, or a label for memory
  std::string_view bytes{};  ///< for Kind::memory: must outlive the read() call

  static InputSource file(std::string path);
  static InputSource standard_input();
  static InputSource memory(std::string label, std::string_view bytes);
};

/// Orders the files of a rotated log set oldest first: `mail.log.3.gz`,
/// `mail.log.2.gz`, `mail.log.1`, `mail.log`, and dated suffixes
/// (`mail.log-20250104`, `maillog.20250104-101500.gz`) by date. Files of
/// different sets keep their relative order. "-" becomes stdin.
BOUNCE_EXPORT std::vector<InputSource> order_rotated(const std::vector<std::string>& paths);

/// Line accounting: every input line lands in exactly one of parsed, ignored
/// (well-formed but irrelevant, e.g. other programs) and unparsed. For JSON
/// inputs the unit is the event (an array element or an NDJSON document),
/// not the line; blank NDJSON lines are not counted.
struct ParseStats {
  std::uint64_t lines = 0;
  std::uint64_t parsed = 0;
  std::uint64_t ignored = 0;
  std::uint64_t unparsed = 0;
  std::uint64_t bytes = 0;             ///< uncompressed bytes read
  std::uint64_t records = 0;           ///< records emitted
  std::uint64_t evicted_messages = 0;  ///< messages (provider pairs) flushed early by the bound
  /// Lines per program ("postfix/smtp", "amavis", "" when there is no header).
  struct Counts {
    std::uint64_t parsed = 0, ignored = 0, unparsed = 0;
  };
  std::map<std::string, Counts> by_program;

  /// Adds another run's statistics (for merging runs or files).
  BOUNCE_EXPORT void merge(const ParseStats& other);
};

/// A line that could not be parsed, for on_diagnostic and strict mode.
struct Diagnostic {
  std::string_view file;
  std::uint64_t line = 0;
  std::string_view text;     ///< the line (without its newline)
  std::string_view problem;  ///< what was expected
};

struct ReaderOptions {
  /// The input format; std::nullopt (the default) recognises each input from
  /// its first bytes: Postfix syslog, or provider events (JSON: SES, SendGrid,
  /// Mailgun, Postmark, SparkPost; the provider is recognised per event, so
  /// any JSON format name reads them all). An input that matches none is an
  /// InputError naming it.
  std::optional<Format> format;
  View view = View::attempts;
  /// Year for RFC 3164 timestamps (which have none) at the start of the input;
  /// a month going back (December -> January) advances it. 0 = infer from each
  /// file's modification time (the latest timestamp is taken to be no later
  /// than it), or the current year for stdin and memory.
  int year = 0;
  /// Offset of local time from UTC for timestamps without a zone, as "+01:00",
  /// "-0500", "UTC" or "Z". Empty = UTC.
  std::string tz;
  /// Threads (0 = all hardware threads), the calling thread included: with
  /// N > 1, N - 1 threads parse while the calling one correlates, and parses
  /// too whenever it would otherwise wait. Output is identical for any value.
  unsigned threads = 1;
  /// Bytes per chunk (the unit of parallel work); lines are never split.
  std::size_t chunk_size = 1u << 20;
  /// Correlator bounds: messages kept open at most, and idle seconds before a
  /// message is flushed (0 = no age limit). For provider events in
  /// View::final the count bounds the (message, recipient) pairs kept for
  /// their last event; the age limit does not apply to them.
  std::size_t max_open_messages = 1u << 20;
  std::int64_t max_message_age_s = 0;
  /// Compressed input may expand to at most this many times its compressed
  /// size (after a first 64 MiB, always allowed); beyond it the read throws
  /// InputError instead of filling memory with a decompression bomb. Mail logs
  /// compress 5-50x with gzip or zstd. 0 = no limit.
  std::uint32_t max_expansion_ratio = 200;
  /// An unparsed line throws InputError naming the file and line.
  bool strict = false;
  /// Follow mode, like `tail -F`: read one log file to its end, then wait for
  /// the lines still to be written, staying with the log through rotation by
  /// rename-and-create and by copytruncate, until keep_following returns
  /// false. Needs exactly one input, an uncompressed file of a line format
  /// (not provider JSON); parsing is then single-threaded, and records come
  /// out as their lines arrive (in View::final, as their messages complete).
  bool follow = false;
  /// How often a followed file is checked for new lines and for rotation.
  std::chrono::milliseconds follow_poll{200};
  /// Asked each time a followed file has no new data: false ends the read as
  /// the end of an input would (pending View::final records are emitted).
  /// Unset = follow until the process stops. Called on the reading thread.
  std::function<bool()> keep_following;
  /// Called with bytes consumed so far and the total (0 when unknown, e.g. stdin).
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
  /// Called for each unparsed line.
  std::function<void(const Diagnostic&)> on_diagnostic;
  /// Classifier to use; nullptr = a shared default with the built-in rules.
  const Classifier* classifier = nullptr;
};

class BOUNCE_EXPORT Reader {
 public:
  /// Throws Error for invalid options (e.g. an unparsable tz).
  explicit Reader(ReaderOptions options = {});
  ~Reader();
  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;

  /// Reads the inputs in order as one log, calling on_record for each record.
  /// Throws InputError for an input that cannot be read.
  ParseStats read(std::span<const InputSource> inputs,
                  const std::function<void(const Record&)>& on_record);
  /// Convenience: one input given by path ("-" = stdin).
  ParseStats read_file(const std::string& path,
                       const std::function<void(const Record&)>& on_record);

  const ReaderOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bounce

#endif  // BOUNCE_READER_HPP_
