// Newline-aligned chunks of one input, whatever its kind: a memory-mapped
// file (zero copy), a gzip or zstd file (decompressed as a stream), standard
// input, or bytes in memory. Compression is detected by magic bytes, never by
// file name. A chunk never splits a line; a last line without '\n' is still a
// line (it ends the last chunk).

#ifndef BOUNCE_SRC_IO_CHUNK_SOURCE_HPP_
#define BOUNCE_SRC_IO_CHUNK_SOURCE_HPP_

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "bounce/reader.hpp"

namespace bounce::io {

/// A piece of input text ending at a line end (or at the end of the input).
/// `owner` keeps the bytes alive.
struct Chunk {
  std::shared_ptr<const void> owner;
  std::string_view text;
};

class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  /// The next chunk of about `target` bytes (longer when a line is longer),
  /// or nullopt at the end. Throws InputError for a read or decompression error.
  virtual std::optional<Chunk> next(std::size_t target) = 0;
  /// Bytes of the input consumed so far (compressed bytes for compressed input).
  virtual std::uint64_t consumed() const = 0;
  /// The input's size on disk, 0 when unknown (stdin).
  virtual std::uint64_t total() const = 0;
  /// The file's modification time (seconds since the epoch), or -1.
  virtual std::int64_t mtime() const { return -1; }

  /// Opens an input. Throws InputError naming it when it cannot be read.
  /// Compressed input may expand to at most `max_expansion_ratio` times the
  /// compressed bytes read (plus kExpansionAllowance); past that, next()
  /// throws InputError: a decompression bomb must not fill memory or disk.
  /// 0 = no limit.
  static std::unique_ptr<ChunkSource> open(const InputSource& input,
                                           std::uint32_t max_expansion_ratio);
};

/// Output any compressed input may produce whatever its ratio, so that small
/// but very repetitive files (test fixtures, idle servers) always read.
inline constexpr std::uint64_t kExpansionAllowance = 64u << 20;

/// What the first bytes say the input is.
enum class Compression { none, gzip, zstd };
Compression detect_compression(std::string_view first_bytes) noexcept;

}  // namespace bounce::io

#endif  // BOUNCE_SRC_IO_CHUNK_SOURCE_HPP_
