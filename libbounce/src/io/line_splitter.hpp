// LineSplitter: the lines of a chunk, in order, without their '\n' (a last
// line without one is still a line; a '\r' before it is the caller's).
//
// A memchr per line costs a call, its setup and a mispredicted exit for
// every line. This finds the newlines of 64 bytes at a time as a bit mask
// (four SSE2 compares) and takes the lines off the mask: 1.27x a memchr per
// line in bench/parser_bench.cpp, within noise in a whole parse. Loads stay
// inside the text (the last partial block goes through memchr), so it reads
// no byte it was not given. Without SSE2 it is a memchr per line.
//
//   LineSplitter lines(chunk);
//   for (std::string_view line; lines.next(line);) ...

#ifndef BOUNCE_SRC_IO_LINE_SPLITTER_HPP_
#define BOUNCE_SRC_IO_LINE_SPLITTER_HPP_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace bounce::io {

class LineSplitter {
 public:
  explicit LineSplitter(std::string_view text) noexcept : data_(text.data()), size_(text.size()) {}

  /// Sets `line` to the next line and returns true, or returns false at the end.
  bool next(std::string_view& line) noexcept {
    if (pos_ == size_) return false;
    while (mask_ == 0) {
      if (!kBlocks || size_ - scanned_ < kBlock) return next_by_memchr(line);
      mask_ = newlines_in_block(data_ + scanned_);
      block_ = scanned_;
      scanned_ += kBlock;
    }
    const std::size_t nl = block_ + static_cast<std::size_t>(std::countr_zero(mask_));
    mask_ &= mask_ - 1;
    line = std::string_view(data_ + pos_, nl - pos_);
    pos_ = nl + 1;
    return true;
  }

 private:
  static constexpr std::size_t kBlock = 64;
#if defined(__SSE2__)
  static constexpr bool kBlocks = true;
#else
  static constexpr bool kBlocks = false;
#endif

  // The tail shorter than a block (and every line without SSE2). No newline
  // lies between pos_ and scanned_.
  bool next_by_memchr(std::string_view& line) noexcept {
    const void* nl = std::memchr(data_ + scanned_, '\n', size_ - scanned_);
    const std::size_t end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data_) : size_;
    line = std::string_view(data_ + pos_, end - pos_);
    pos_ = nl ? end + 1 : size_;
    scanned_ = pos_;
    return true;
  }

  // Bit i set when p[i] is '\n' (not called without SSE2).
  static std::uint64_t newlines_in_block([[maybe_unused]] const char* p) noexcept {
#if defined(__SSE2__)
    const __m128i nl = _mm_set1_epi8('\n');
    const auto bits = [&](int at) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
      return static_cast<std::uint64_t>(
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))));
    };
    return bits(0) | bits(16) << 16 | bits(32) << 32 | bits(48) << 48;
#else
    return 0;
#endif
  }

  const char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;      // where the next line starts
  std::size_t scanned_ = 0;  // newlines before this are in mask_ or taken
  std::size_t block_ = 0;    // where mask_'s block starts
  std::uint64_t mask_ = 0;   // the block's newlines not taken yet
};

}  // namespace bounce::io

#endif  // BOUNCE_SRC_IO_LINE_SPLITTER_HPP_
