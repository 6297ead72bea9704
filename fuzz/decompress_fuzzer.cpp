// libFuzzer target: arbitrary bytes (seeded with gzip and zstd files, and
// plain text) through the input layer's decompression and line chunking.
// The first byte picks the chunk size. Invariants: every chunk but the last
// ends with a line end, no chunk is empty, and the consumed count never
// exceeds the input. An InputError (corrupt or truncated stream, expansion
// limit) is the accepted outcome for a bad stream.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bounce/error.hpp"
#include "io/chunk_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t target = 1 + data[0] * 16;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    // A low ratio so that the expansion limit is reached by small inputs too.
    auto source = bounce::io::ChunkSource::open(bounce::InputSource::memory("fuzz", bytes), 4);
    bool last_ended_line = true;
    while (auto chunk = source->next(target)) {
      if (chunk->text.empty() || !last_ended_line) __builtin_trap();
      last_ended_line = chunk->text.back() == '\n';
      if (source->consumed() > bytes.size()) __builtin_trap();
    }
  } catch (const bounce::InputError&) {
  }
  return 0;
}
