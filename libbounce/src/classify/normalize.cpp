// normalize_reply: masks the variable parts of a reply (addresses, IPs, ids,
// long numbers) so that replies that differ only there share one cache entry
// and one verdict. Patterns are matched against this same text, which is what
// makes the cache unable to change an answer.

#include "bounce/classifier.hpp"
#include "text_util.hpp"

namespace bounce {
namespace {

constexpr bool is_addr_char(char c) noexcept {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '=' ||
         c == '\'' || c == '/' || c == '!' || c == '#' || c == '$' || c == '&' || c == '*' ||
         c == '?' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '~';
}
constexpr bool is_domain_char(char c) noexcept { return is_alnum(c) || c == '.' || c == '-'; }
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}
constexpr bool is_word_char(char c) noexcept { return is_alnum(c) || c == '-' || c == '_'; }

// Length of a dotted quad at s[i] (not preceded by a digit/dot), or 0.
std::size_t ipv4_at(std::string_view s, std::size_t i) noexcept {
  std::size_t p = i;
  for (int part = 0; part < 4; ++part) {
    std::size_t n = 0;
    while (p + n < s.size() && is_digit(s[p + n]) && n < 4) ++n;
    if (n == 0 || n > 3) return 0;
    p += n;
    if (part < 3) {
      if (p >= s.size() || s[p] != '.') return 0;
      ++p;
    }
  }
  if (p < s.size() && (is_digit(s[p]) || (s[p] == '.' && p + 1 < s.size() && is_digit(s[p + 1]))))
    return 0;
  return p - i;
}

// Length of an IPv6 literal at s[i]: hex groups and colons with at least two
// colons and one hex digit ("2001:db8::1", "::ffff:1.2.3.4" handled by caller).
std::size_t ipv6_at(std::string_view s, std::size_t i) noexcept {
  std::size_t p = i, colons = 0, hex = 0;
  while (p < s.size() && (is_hex(s[p]) || s[p] == ':' || s[p] == '.')) {
    if (s[p] == ':')
      ++colons;
    else
      ++hex;
    ++p;
  }
  if (colons < 2 || hex == 0) return 0;
  // "12:30:45" (a time) has two colons too: require a hex letter, "::", or 4+ colons.
  const std::string_view tok = s.substr(i, p - i);
  bool letters = false;
  for (char c : tok) letters |= is_alpha(c);
  if (!letters && tok.find("::") == std::string_view::npos && colons < 4) return 0;
  return p - i;
}

}  // namespace

std::string normalize_reply(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const std::string_view s = trim(text);
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c)) {
      while (i < s.size() && is_space(s[i])) ++i;
      out.push_back(' ');
      continue;
    }
    const bool at_boundary = i == 0 || !(is_word_char(s[i - 1]) || s[i - 1] == '.');
    if (at_boundary && is_addr_char(c)) {
      // An e-mail address: local part, '@', domain with a dot.
      std::size_t at = i;
      while (at < s.size() && is_addr_char(s[at])) ++at;
      if (at < s.size() && s[at] == '@') {
        std::size_t end = at + 1;
        bool dot = false;
        while (end < s.size() && is_domain_char(s[end])) dot |= s[end++] == '.';
        if (dot && end > at + 2) {
          while (end > at + 1 && s[end - 1] == '.') --end;
          out += "{addr}";
          i = end;
          continue;
        }
      }
    }
    if (at_boundary && is_digit(c)) {
      if (const std::size_t n = ipv4_at(s, i)) {
        out += "{ip}";
        i += n;
        continue;
      }
    }
    if (at_boundary && (is_hex(c) || c == ':')) {
      if (const std::size_t n = ipv6_at(s, i)) {
        out += "{ip}";
        i += n;
        continue;
      }
    }
    if (at_boundary && is_word_char(c)) {
      std::size_t end = i, digits = 0;
      while (end < s.size() && is_word_char(s[end])) digits += is_digit(s[end++]);
      const std::size_t len = end - i;
      if (digits == len && len >= 6) {
        out += "{n}";
        i = end;
        continue;
      }
      if (len >= 12 && digits >= 3) {
        out += "{id}";
        i = end;
        continue;
      }
      out.append(s.substr(i, len));
      i = end;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace bounce
