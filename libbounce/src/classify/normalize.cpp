// normalize_reply: masks the variable parts of a reply (addresses, IPs, ids,
// long numbers) so that replies that differ only there share one cache entry
// and one verdict. Patterns are matched against this same text, which is what
// makes the cache unable to change an answer.
//
// One pass; each token start is classified once, with a table lookup per byte.

#include <array>
#include <cstring>

#include "classify/normalize.hpp"

#include "bounce/classifier.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

// Character classes, as bits in one table lookup.
enum : std::uint8_t {
  kWord = 1,    // [A-Za-z0-9_-]: id and word characters
  kDigit = 2,   // [0-9]
  kHex = 4,     // [0-9A-Fa-f]
  kAddr = 8,    // may appear in an e-mail address
  kSpace = 16,  // white space
  kAlpha = 32,  // [A-Za-z]
  kPunct = 64,  // ,;()[]<>"'!? : ends a plain word (a table bit, not a search per word)
};

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    std::uint8_t v = 0;
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit || alpha || c == '_' || c == '-') v |= kWord;
    if (digit) v |= kDigit;
    if (alpha) v |= kAlpha;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= kHex;
    if (digit || alpha || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=' ||
        c == '\'' || c == '/' || c == '!' || c == '#' || c == '$' || c == '&' || c == '*' ||
        c == '?' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '~' ||
        c == '@')
      v |= kAddr;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') v |= kSpace;
    if (std::string_view(",;()[]<>\"'!?").find(static_cast<char>(c)) != std::string_view::npos)
      v |= kPunct;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
constexpr std::array<std::uint8_t, 256> kClass = make_classes();

inline std::uint8_t cls(char c) { return kClass[static_cast<unsigned char>(c)]; }

// Length of a dotted quad at the start of s (not continued by a digit or ".digit").
std::size_t ipv4_prefix(std::string_view s) noexcept {
  std::size_t p = 0;
  for (int part = 0; part < 4; ++part) {
    std::size_t n = 0;
    while (p + n < s.size() && (cls(s[p + n]) & kDigit) && n < 4) ++n;
    if (n == 0 || n > 3) return 0;
    p += n;
    if (part < 3) {
      if (p >= s.size() || s[p] != '.') return 0;
      ++p;
    }
  }
  if (p < s.size() &&
      ((cls(s[p]) & kDigit) || (s[p] == '.' && p + 1 < s.size() && (cls(s[p + 1]) & kDigit))))
    return 0;
  return p;
}

// Length of an IPv6 literal at the start of s: hex groups and colons (at least
// two), with a hex letter, "::" or four colons so that a time "12:30:45" is not one.
std::size_t ipv6_prefix(std::string_view s) noexcept {
  std::size_t p = 0, colons = 0, hex = 0;
  bool letters = false, double_colon = false;
  while (p < s.size() && ((cls(s[p]) & kHex) || s[p] == ':' || s[p] == '.')) {
    if (s[p] == ':') {
      ++colons;
      double_colon |= p > 0 && s[p - 1] == ':';
    } else {
      ++hex;
      letters |= (cls(s[p]) & kAlpha) != 0;
    }
    ++p;
  }
  if (colons < 2 || hex == 0 || !(letters || double_colon || colons >= 4)) return 0;
  return p;
}

// An e-mail address at the start of s: local part, '@', a domain with a dot.
// `scanned` is set to how far the local-part scan got, so that the caller can
// skip address checks for tokens starting inside a run without '@' (URLs).
std::size_t address_prefix(std::string_view s, std::size_t& scanned) noexcept {
  std::size_t at = 0;
  while (at < s.size() && (cls(s[at]) & kAddr) && s[at] != '@') ++at;
  scanned = at;
  if (at == 0 || at >= s.size() || s[at] != '@') return 0;
  std::size_t end = at + 1;
  bool dot = false;
  while (end < s.size() && ((cls(s[end]) & kWord) || s[end] == '.')) dot |= s[end++] == '.';
  while (end > at + 1 && s[end - 1] == '.') --end;
  return dot && end > at + 2 ? end : 0;
}

}  // namespace

std::string normalize_reply(std::string_view text) {
  std::string out;
  append_normalized_reply(text, out);
  return out;
}

void append_normalized_reply(std::string_view text, std::string& out) {
  const std::string_view s = trim(text);
  // A mask can be one byte longer than what it replaces ("::1" -> "{ip}",
  // "a@b.c" -> "{addr}"), and a masked token takes at least three bytes plus
  // the boundary before it: the output fits in 5/4 of the input. Write
  // through a pointer into room of that size at the end of `out`.
  const std::size_t start = out.size();
  out.resize(start + s.size() + s.size() / 4 + 8);
  char* o = out.data() + start;
  const auto put = [&o](std::string_view v) {
    copy_text(o, v);
    o += v.size();
  };
  std::size_t i = 0;
  std::size_t no_address_before = 0;  // tokens starting before this hold no '@'
  while (i < s.size()) {
    const char c = s[i];
    const std::uint8_t k = cls(c);
    if (k & kSpace) {
      while (i < s.size() && (cls(s[i]) & kSpace)) ++i;
      *o++ = ' ';
      continue;
    }
    // Tokens start only at a boundary: not inside a word or after a dot.
    const bool boundary = i == 0 || !((cls(s[i - 1]) & kWord) || s[i - 1] == '.');
    if (!boundary || !(k & (kAddr | kHex))) {
      *o++ = c;
      ++i;
      continue;
    }
    // Fast path for the commonest token, a plain word ("rejected,"): letters
    // followed by a space or punctuation that no mask continues through.
    if (k & kAlpha) {
      std::size_t end = i + 1;
      while (end < s.size() && (cls(s[end]) & kAlpha)) ++end;
      if (end == s.size() || (cls(s[end]) & (kSpace | kPunct))) {
        put(s.substr(i, end - i));
        i = end;
        continue;
      }
    }
    const std::string_view rest = s.substr(i);
    if (i >= no_address_before) {
      std::size_t scanned = 0;
      if (const std::size_t n = address_prefix(rest, scanned)) {
        put("{addr}");
        i += n;
        continue;
      }
      if (i + scanned >= s.size() || s[i + scanned] != '@') no_address_before = i + scanned;
    }
    if (k & kDigit) {
      if (const std::size_t n = ipv4_prefix(rest)) {
        put("{ip}");
        i += n;
        continue;
      }
    }
    if (k & kHex) {
      if (const std::size_t n = ipv6_prefix(rest)) {
        put("{ip}");
        i += n;
        continue;
      }
    }
    if (k & kWord) {
      std::size_t end = i, digits = 0;
      while (end < s.size() && (cls(s[end]) & kWord)) digits += (cls(s[end++]) & kDigit) != 0;
      const std::size_t len = end - i;
      if (digits == len && len >= 6)
        put("{n}");
      else if (len >= 12 && digits >= 3)
        put("{id}");
      else
        put(s.substr(i, len));
      i = end;
      continue;
    }
    *o++ = c;
    ++i;
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
}

}  // namespace bounce
