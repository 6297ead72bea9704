// Provider event exports and webhooks (Amazon SES, SendGrid, Mailgun,
// Postmark, SparkPost) read into records with simdjson.
//
// Input shapes: one JSON document (an event, an array of events, or an API
// response page such as {"items": [...]}), NDJSON (one document per line), or
// files mixing them. Each document's provider is recognised by its shape, so
// a mixed file works. One record per (event, recipient); engagement events
// (open, click, processed, send, ...) are counted as ignored; a malformed
// document is counted as unparsed with its line, and reading goes on.
//
// Every record keeps the provider's own verdict in `status`
// ("Permanent/NoEmail", "bounce/blocked", "TypeCode 4096", "bounce_class 22")
// beside libbounce's classification. The mapping rules are those of
// corpus/samples/providers.md, section 0.

#ifndef BOUNCE_SRC_FORMATS_PROVIDER_EVENTS_HPP_
#define BOUNCE_SRC_FORMATS_PROVIDER_EVENTS_HPP_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "bounce/record.hpp"
#include "string_arena.hpp"

namespace bounce::formats {

/// Reads all events of one input (the whole text) and emits a record per
/// (event, recipient). Adds to `stats` one unit per event (not per line):
/// parsed (gave records), ignored (not a delivery outcome) or unparsed.
void read_provider_events(std::string_view text, std::string_view file,
                          const Classifier& classifier, ParseStats& stats,
                          const std::function<void(const Record&)>& emit,
                          const std::function<void(const Diagnostic&)>& on_bad);

/// The same, for an input handed over in newline-aligned chunks: NDJSON is
/// read as the chunks come (memory stays one chunk); a one-document input
/// (a JSON array, a pretty-printed file) is kept until finish().
class ProviderEventStream {
 public:
  ProviderEventStream(std::string_view file, const Classifier& classifier, ParseStats& stats,
                      const std::function<void(const Record&)>& emit,
                      const std::function<void(const Diagnostic&)>& on_bad);
  ~ProviderEventStream();
  ProviderEventStream(const ProviderEventStream&) = delete;
  ProviderEventStream& operator=(const ProviderEventStream&) = delete;

  void add(std::string_view chunk);
  void finish();
  /// True once the input has shown to be NDJSON: later chunks may then be
  /// read apart (ProviderEventChunk) and handed over in order.
  bool ndjson() const noexcept;
  /// Text lines read so far (the next chunk's first line is lines() + 1).
  std::uint64_t lines() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// NDJSON lines of one chunk, read on their own (the parallel reader's parse
/// step): the records, diagnostics and statistics are kept for the serial
/// step, with line numbers counted from the chunk's start (1 = its first
/// line). Reused chunk after chunk.
class ProviderEventChunk {
 public:
  ProviderEventChunk();
  ~ProviderEventChunk();
  ProviderEventChunk(ProviderEventChunk&&) noexcept;
  ProviderEventChunk& operator=(ProviderEventChunk&&) noexcept;

  /// Replaces the contents with the events of `text` (whole lines).
  void parse(std::string_view text, std::string_view file, const Classifier& classifier);

  struct Bad {
    std::uint64_t line;
    std::string text, problem;
  };
  std::vector<Record> records;  ///< their text lives in `strings`
  std::vector<Bad> bad;         ///< in line order, like the records
  ParseStats stats;             ///< events by bucket (lines: events, as ProviderEventStream counts)
  std::uint64_t lines = 0;      ///< text lines in the chunk
  StringArena strings;          ///< the records' text

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;  // kept: its buffers are reused
};

/// True when the text looks like JSON (first non-space byte '{' or '[').
bool looks_like_json(std::string_view text) noexcept;

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_PROVIDER_EVENTS_HPP_
