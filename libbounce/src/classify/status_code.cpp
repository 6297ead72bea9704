// Finding reply codes and RFC 3463 enhanced status codes in reply text.

#include "bounce/status_code.hpp"

#include <charconv>

#include "text_util.hpp"

namespace bounce {
namespace {

// Reads 1-3 digits at s[i]; returns the number of digits read (0 = none, and
// more than 3 digits is no code either).
std::size_t read_digits(std::string_view s, std::size_t i, std::uint16_t& out) noexcept {
  std::size_t n = 0;
  unsigned v = 0;
  while (i + n < s.size() && is_digit(s[i + n])) {
    if (++n > 3) return 0;
    v = v * 10 + static_cast<unsigned>(s[i + n - 1] - '0');
  }
  out = static_cast<std::uint16_t>(v);
  return n;
}

// Parses "C.S.D" starting at s[i]. On success returns the length consumed; the
// code must not continue as a longer dotted number (an IP, "4.16.55.1").
std::size_t parse_enhanced_at(std::string_view s, std::size_t i, EnhancedCode& out) noexcept {
  if (i + 5 > s.size()) return 0;
  const char c = s[i];
  if ((c != '2' && c != '4' && c != '5') || s[i + 1] != '.') return 0;
  std::size_t p = i + 2;
  std::uint16_t subject = 0, detail = 0;
  std::size_t n = read_digits(s, p, subject);
  if (n == 0 || p + n >= s.size() || s[p + n] != '.') return 0;
  p += n + 1;
  n = read_digits(s, p, detail);
  if (n == 0) return 0;
  p += n;
  if (p < s.size() && (is_digit(s[p]) || (s[p] == '.' && p + 1 < s.size() && is_digit(s[p + 1]))))
    return 0;
  out = EnhancedCode{static_cast<std::uint8_t>(c - '0'), subject, detail};
  return p - i;
}

// A basic reply code: three digits, first 2..5, not followed by a digit or '.'.
int parse_reply_at(std::string_view s, std::size_t i) noexcept {
  if (i + 3 > s.size()) return 0;
  if (s[i] < '2' || s[i] > '5' || !is_digit(s[i + 1]) || !is_digit(s[i + 2])) return 0;
  if (i + 3 < s.size() && (is_digit(s[i + 3]) || s[i + 3] == '.')) return 0;
  return (s[i] - '0') * 100 + (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
}

std::string_view skip_prefixes(std::string_view s) noexcept {  // "smtp; 550 ..."
  for (;;) {
    s = trim_left(s);
    if (starts_with_icase(s, "smtp;")) {
      s.remove_prefix(5);
      continue;
    }
    return s;
  }
}

}  // namespace

std::string EnhancedCode::to_string() const {
  // One buffer, no temporaries: this runs for every record written out.
  char buf[kMaxText];
  return std::string(buf, write(buf));
}

char* EnhancedCode::write(char* out) const noexcept {
  if (!valid()) return out;
  char* const end = out + kMaxText;
  char* p = std::to_chars(out, end, klass).ptr;
  *p++ = '.';
  p = std::to_chars(p, end, subject).ptr;
  *p++ = '.';
  return std::to_chars(p, end, detail).ptr;
}

std::optional<EnhancedCode> EnhancedCode::parse(std::string_view text) noexcept {
  EnhancedCode code;
  if (parse_enhanced_at(text, 0, code) != text.size() || text.empty()) return std::nullopt;
  return code;
}

// The codes leading `s` ("550-5.1.1 ...", "#5.1.1 smtp;550 ..."); returns the rest.
std::string_view leading_codes(std::string_view s, ReplyParts& out) noexcept {
  s = skip_prefixes(s);
  if (!s.empty() && s[0] == '#') {  // "#5.1.1 smtp;550 ..." puts the enhanced code first
    if (const std::size_t n = parse_enhanced_at(s, 1, out.enhanced))
      s = skip_prefixes(s.substr(1 + n));
  }
  if (const int code = parse_reply_at(s, 0)) {
    out.reply_code = code;
    s.remove_prefix(3);
    if (!s.empty() && (s[0] == '-' || s[0] == ' ')) s.remove_prefix(1);
    s = trim_left(s);
  }
  if (!out.enhanced.valid()) {
    const std::size_t start = (!s.empty() && s[0] == '#') ? 1 : 0;
    if (const std::size_t n = parse_enhanced_at(s, start, out.enhanced))
      s = trim_left(s.substr(start + n));
  }
  return s;
}

ReplyParts split_reply(std::string_view raw) noexcept {
  ReplyParts out;
  std::string_view s = leading_codes(trim(raw), out);
  // Postfix: "host H[ip] said: 550 ..." - the reply starts after "said:". Only
  // when the text does not lead with codes of its own: a reject such as
  // "450 4.1.7 <a>: Sender address rejected: ... said: 550 5.1.1 ..." quotes
  // another server's reply, which is not this reply's code.
  if (out.reply_code == 0 && !out.enhanced.valid()) {
    if (const auto said = s.find(" said: "); said != std::string_view::npos)
      s = leading_codes(s.substr(said + 7), out);
  }
  out.text = s;
  if (out.reply_code != 0 && out.enhanced.valid()) return out;

  // Codes that do not lead: take the first standalone ones inside the text,
  // e.g. Exim's "...: host mx[ip]: 550 5.1.1 ..." or Exchange's "... (#5.1.1)".
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool boundary = i == 0 || !(is_alnum(s[i - 1]) || s[i - 1] == '.');
    if (!boundary) continue;
    if (out.reply_code == 0 &&
        (i == 0 || std::string_view(" :;'\"(").find(s[i - 1]) != std::string_view::npos)) {
      if (const int code = parse_reply_at(s, i);
          code != 0 && i + 3 < s.size() && (s[i + 3] == ' ' || s[i + 3] == '-')) {
        out.reply_code = code;
        i += 3;
        continue;
      }
    }
    if (!out.enhanced.valid()) {
      if (const std::size_t n = parse_enhanced_at(s, i, out.enhanced)) i += n;
    }
    if (out.reply_code != 0 && out.enhanced.valid()) break;
  }
  return out;
}

}  // namespace bounce
