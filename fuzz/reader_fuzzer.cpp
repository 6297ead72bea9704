// libFuzzer target: arbitrary bytes through the Reader as one input of the
// format named at build time (BOUNCE_FUZZ_FORMAT, "" = auto-detection). The
// first byte picks the view, a tiny open-message bound (so that eviction paths
// run too) and whether to read again with two threads in 4 KiB chunks, which
// must give the same records in the same order. Anything but a clean return
// or a bounce::Error is a bug.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"

namespace {

struct Outcome {
  bounce::ParseStats stats;
  std::size_t fingerprint = 0;  // of every record, in order
};

Outcome read(const bounce::ReaderOptions& options, const std::string& text) {
  Outcome out;
  bounce::Reader reader(options);
  const bounce::InputSource input = bounce::InputSource::memory("fuzz", text);
  out.stats =
      reader.read(std::span<const bounce::InputSource>(&input, 1), [&](const bounce::Record& r) {
        const std::hash<std::string_view> h;
        out.fingerprint = out.fingerprint * 31 + h(r.recipient) + h(r.reply_text) + r.line +
                          static_cast<std::size_t>(r.outcome) +
                          static_cast<std::size_t>(r.classification.reason);
      });
  // Every line is accounted for in exactly one bucket.
  if (out.stats.parsed + out.stats.ignored + out.stats.unparsed != out.stats.lines)
    __builtin_trap();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const bounce::Classifier classifier;  // built once: rule compilation is slow
  bounce::ReaderOptions options;
  options.view = (data[0] & 1) ? bounce::View::final : bounce::View::attempts;
  options.max_open_messages = (data[0] & 2) ? 2 : 100000;
  options.year = 2024;
  options.threads = 1;
  options.classifier = &classifier;
  const std::string format = BOUNCE_FUZZ_FORMAT;
  if (!format.empty()) options.format = bounce::from_string<bounce::Format>(format);
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const Outcome one = read(options, text);
    if (data[0] & 4) {
      options.threads = 2;
      options.chunk_size = 4096;
      const Outcome two = read(options, text);
      if (two.fingerprint != one.fingerprint || two.stats.lines != one.stats.lines ||
          two.stats.parsed != one.stats.parsed || two.stats.records != one.stats.records)
        __builtin_trap();
    }
  } catch (const bounce::Error&) {
    // A clear error (unrecognised input) is an accepted outcome.
  }
  return 0;
}
