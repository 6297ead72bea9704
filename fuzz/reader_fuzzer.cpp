// libFuzzer target: arbitrary bytes through the Reader as one input of the
// format named at build time (BOUNCE_FUZZ_FORMAT, "" = auto-detection). The
// first byte picks the view and a tiny open-message bound, so that eviction
// paths run too. Anything but a clean return or a bounce::Error is a bug.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"

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
    bounce::Reader reader(options);
    std::uint64_t records = 0;
    const bounce::InputSource input = bounce::InputSource::memory("fuzz", text);
    const bounce::ParseStats stats =
        reader.read(std::span<const bounce::InputSource>(&input, 1), [&](const bounce::Record& r) {
          records += r.recipient.size() + r.reply_text.size();  // touch the views
        });
    // Every line is accounted for in exactly one bucket.
    if (stats.parsed + stats.ignored + stats.unparsed != stats.lines) __builtin_trap();
  } catch (const bounce::Error&) {
    // A clear error (unrecognised input) is an accepted outcome.
  }
  return 0;
}
