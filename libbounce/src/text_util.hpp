// Small ASCII helpers shared by the parsers. Locale-free on purpose: log text
// is bytes, and std::isdigit & co. depend on the C locale and on signedness.

#ifndef BOUNCE_SRC_TEXT_UTIL_HPP_
#define BOUNCE_SRC_TEXT_UTIL_HPP_

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace bounce {

namespace char_class {
enum : std::uint8_t { digit = 1, alpha = 2, key = 4, alnum = 8, upper_hex = 16 };
// One lookup per byte instead of a chain of comparisons: the scanners call
// these for every character of every line.
inline constexpr std::array<std::uint8_t, 256> kTable = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool d = c >= '0' && c <= '9';
    const bool a = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool hex = d || (c >= 'A' && c <= 'F');  // the digits of a classic Postfix queue id
    t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(
        (d ? digit : 0) | (a ? alpha : 0) | (d || a || c == '_' || c == '-' ? key : 0) |
        (d || a ? alnum : 0) | (hex ? upper_hex : 0));
  }
  return t;
}();
constexpr bool has(char c, std::uint8_t cls) noexcept {
  return (kTable[static_cast<unsigned char>(c)] & cls) != 0;
}
}  // namespace char_class

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return char_class::has(c, char_class::alpha); }
constexpr bool is_alnum(char c) noexcept { return char_class::has(c, char_class::alnum); }
/// A character of a `key=value` key: letters, digits, '_' and '-'.
constexpr bool is_key_char(char c) noexcept { return char_class::has(c, char_class::key); }
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}
constexpr char to_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? char(c | 0x20) : c; }

constexpr std::string_view trim_left(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}
constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}
constexpr std::string_view trim(std::string_view s) noexcept { return trim_right(trim_left(s)); }

constexpr bool equals_icase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}
constexpr bool starts_with_icase(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && equals_icase(s.substr(0, prefix.size()), prefix);
}
constexpr bool ends_with_icase(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && equals_icase(s.substr(s.size() - suffix.size()), suffix);
}
/// Case-insensitive search for an ASCII needle; npos when absent.
inline std::size_t find_icase(std::string_view hay, std::string_view needle,
                              std::size_t from = 0) noexcept {
  if (needle.empty()) return from;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (equals_icase(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

/// The integer at the start of `s`; 0 when there is none or it does not fit.
inline std::int64_t to_int(std::string_view s) noexcept {
  std::int64_t n = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  return r.ec == std::errc{} ? n : 0;
}

/// The part after the last '@' ("" for a bare local name).
constexpr std::string_view domain_of(std::string_view address) noexcept {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

// Eight bytes at a time (SWAR): the scanners test a word of text at once.
namespace swar {
inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHigh = 0x8080808080808080ull;

/// The high bit of each zero byte of `v`. A false positive can only sit
/// above a true one, so the lowest bit, and "none", are exact.
constexpr std::uint64_t zero_bytes(std::uint64_t v) noexcept { return (v - kOnes) & ~v & kHigh; }

/// f(word) OR-ed over the 8-byte words of `s`, which is at least 8 bytes
/// long; its tail is read as the last 8 bytes (overlapping), so there is no
/// byte loop and no branch per word.
template <class F>
std::uint64_t or_words(std::string_view s, F&& f) noexcept {
  const char* d = s.data();
  const std::size_t n = s.size();
  std::uint64_t acc = 0, w = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&w, d + i, 8);
    acc |= f(w);
  }
  if (i < n) {
    std::memcpy(&w, d + n - 8, 8);
    acc |= f(w);
  }
  return acc;
}

/// Whether any byte of `s` is of a kind: `byte(c)` says so for one byte (a
/// string shorter than a word is checked byte by byte), `word(w)` flags such
/// bytes in a word (any nonzero result), OR-ed over `s` by or_words.
template <class Byte, class Word>
bool any_byte(std::string_view s, Byte&& byte, Word&& word) noexcept {
  if (s.size() < 8) {
    for (const char c : s)
      if (byte(c)) return true;
    return false;
  }
  return or_words(s, word) != 0;
}
}  // namespace swar

/// s.substr(pos, n) for a `pos` known to be within `s`: no bounds check, so
/// no throwing path, for which GCC calls substr out of line in large
/// functions (the syslog header's, run on every line).
constexpr std::string_view unchecked_substr(std::string_view s, std::size_t pos,
                                            std::size_t n = std::string_view::npos) noexcept {
  return {s.data() + pos, std::min(n, s.size() - pos)};
}

/// Copies `s` to `out`, which has room for it: up to 16 bytes as two
/// overlapping words (or half-words, or bytes) without a library call, which
/// costs more than the copy for the short values (words, cells) most are.
inline void copy_text(char* out, std::string_view s) noexcept {
  const char* p = s.data();
  const std::size_t n = s.size();
  const auto two_words = [&]<class Word>(Word) {
    Word head, tail;
    std::memcpy(&head, p, sizeof head);
    std::memcpy(&tail, p + n - sizeof tail, sizeof tail);
    std::memcpy(out, &head, sizeof head);
    std::memcpy(out + n - sizeof tail, &tail, sizeof tail);
  };
  if (n > 16)
    std::memcpy(out, p, n);
  else if (n >= 8)
    two_words(std::uint64_t{});
  else if (n >= 4)
    two_words(std::uint32_t{});
  else
    for (std::size_t i = 0; i < n; ++i) out[i] = p[i];
}

/// a == b, without a library call for the short strings (queue ids, host
/// and program names) that the hot path compares at run time: up to 16
/// bytes are two overlapping words (or half-words, or bytes); memcmp beyond.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char *p = a.data(), *q = b.data();
  const auto same_ends = [&]<class Word>(Word) {
    Word x, y, u, v;
    std::memcpy(&x, p, sizeof x);
    std::memcpy(&y, q, sizeof y);
    std::memcpy(&u, p + n - sizeof u, sizeof u);
    std::memcpy(&v, q + n - sizeof v, sizeof v);
    return ((x ^ y) | (u ^ v)) == 0;
  };
  if (n >= 8) return n <= 16 ? same_ends(std::uint64_t{}) : std::memcmp(p, q, n) == 0;
  if (n >= 4) return same_ends(std::uint32_t{});
  for (std::size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

/// The first position at or after `from` holding one of `chars`; npos when
/// none does. Eight bytes a step (SWAR): the scanners look for the end of a
/// field this way, where a memchr call per field costs more than the scan.
template <class... Chars>
inline std::size_t find_first_of_any(std::string_view s, std::size_t from,
                                     Chars... chars) noexcept {
  const char* d = s.data();
  const std::size_t n = s.size();
  std::size_t i = from;
  if constexpr (std::endian::native == std::endian::little) {
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, d + i, 8);
      // The lowest set bit is the first matching byte (swar::zero_bytes).
      const std::uint64_t m =
          (swar::zero_bytes(w ^ (swar::kOnes * static_cast<unsigned char>(chars))) | ...);
      if (m) return i + static_cast<std::size_t>(std::countr_zero(m) >> 3);
    }
  }
  for (; i < n; ++i)
    if (((d[i] == chars) || ...)) return i;
  return std::string_view::npos;
}

/// Whether every byte of `s` is ASCII (below 0x80).
inline bool is_ascii(std::string_view s) noexcept {
  return !swar::any_byte(
      s, [](char c) { return static_cast<unsigned char>(c) >= 0x80; },
      [](std::uint64_t w) { return w & swar::kHigh; });
}

/// Whether `s` holds an ASCII upper-case letter.
inline bool has_ascii_upper(std::string_view s) noexcept {
  return swar::any_byte(
      s, [](char c) { return c >= 'A' && c <= 'Z'; },
      [](std::uint64_t w) {
        using swar::kHigh, swar::kOnes;
        // Per byte below 0x80: the high bit of (b + 0x80 - 'A') says b >= 'A',
        // that of (b + 0x80 - 'Z' - 1) says b > 'Z'; bytes from 0x80 up are
        // masked out.
        const std::uint64_t low7 = w & ~kHigh;
        const std::uint64_t ge_a = low7 + kOnes * (0x80 - 'A');
        const std::uint64_t gt_z = low7 + kOnes * (0x80 - 'Z' - 1);
        return ge_a & ~gt_z & ~w & kHigh;
      });
}

/// A fast hash of short strings (queue ids, host names), 8 bytes a step.
inline std::uint64_t hash_text(std::string_view s, std::uint64_t seed = 0) noexcept {
  std::uint64_t h = seed ^ (s.size() * 0x9E3779B97F4A7C15ull);
  const auto mix = [&h](std::uint64_t w) {
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 29;
  };
  const char* d = s.data();
  const std::size_t n = s.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, d + i, 8);
    mix(w);
  }
  if (i < n) {
    // The tail without a variable-length copy (its bytes, stored one by one,
    // then read back as one word, stalled on store forwarding): the last 8
    // bytes shifted down to the tail, or for a short string its bytes.
    std::uint64_t w = 0;
    if (n >= 8) {
      std::memcpy(&w, d + n - 8, 8);
      w = std::endian::native == std::endian::little ? w >> (8 * (8 - (n - i)))
                                                     : w << (8 * (8 - (n - i)));
    } else if constexpr (std::endian::native == std::endian::little) {
      for (std::size_t k = 0; k < n; ++k)
        w |= static_cast<std::uint64_t>(static_cast<unsigned char>(d[k])) << (8 * k);
    } else {
      std::memcpy(&w, d, n);
    }
    mix(w);
  }
  h *= 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

/// `s` lower-cased: `s` itself when it has no upper-case letter (the usual
/// case, no copy), else a lower-case copy in `buf`.
inline std::string_view lower_into(std::string_view s, std::string& buf) {
  if (!has_ascii_upper(s)) return s;
  buf.assign(s);
  for (char& c : buf) c = to_lower(c);
  return buf;
}

inline std::string lower_copy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

}  // namespace bounce

#endif  // BOUNCE_SRC_TEXT_UTIL_HPP_
