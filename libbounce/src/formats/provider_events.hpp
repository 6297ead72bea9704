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
#include <string_view>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "bounce/record.hpp"

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// True when the text looks like JSON (first non-space byte '{' or '[').
bool looks_like_json(std::string_view text) noexcept;

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_PROVIDER_EVENTS_HPP_
