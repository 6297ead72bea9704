// The syslog header scanner; see syslog_header.hpp for the accepted shapes.

#include "syslog_header.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "text_util.hpp"

namespace bounce::formats {
namespace {

// Fixed-width decimal at s[i..i+n); -1 when not all digits.
int digits(std::string_view s, std::size_t i, std::size_t n) noexcept {
  if (i + n > s.size()) return -1;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[i + k];
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// "Jan".."Dec" -> 1..12, else 0. Case-sensitive as syslog writes it; the
// three bytes are compared as one packed integer (this runs for every line).
int month_of(std::string_view s, std::size_t i) noexcept {
  if (i + 3 > s.size()) return 0;
  constexpr auto pack = [](const char* m) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(m[0])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(m[1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(m[2]));
  };
  static constexpr auto kMonths = [&] {
    constexpr std::string_view names = "JanFebMarAprMayJunJulAugSepOctNovDec";
    std::array<std::uint32_t, 12> packed{};
    for (std::size_t k = 0; k < 12; ++k) packed[k] = pack(names.data() + 3 * k);
    return packed;
  }();
  const std::uint32_t m = pack(s.data() + i);
  for (std::size_t k = 0; k < 12; ++k)
    if (kMonths[k] == m) return static_cast<int>(k) + 1;
  return 0;
}

// "HH:MM:SS[.frac]" at s[i]; returns the length consumed or 0.
std::size_t parse_clock(std::string_view s, std::size_t i, LogTime& t) noexcept {
  if (i + 8 > s.size()) return 0;
  // The eight bytes checked as one word (every line has a clock): the colons
  // in place, and each other byte a digit (high nibble 3, and no carry into
  // the high nibble when 6 is added to the low one).
  std::uint64_t w;
  std::memcpy(&w, s.data() + i, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  if ((w & 0xF0F0FFF0F0FFF0F0ull) != 0x30303A30303A3030ull ||
      ((w + 0x0606000606000606ull) & 0xF0F000F0F000F0F0ull) != 0x3030003030003030ull)
    return 0;
  const auto two = [w](int at) {
    return static_cast<int>((w >> (8 * at)) & 0xF) * 10 +
           static_cast<int>((w >> (8 * at + 8)) & 0xF);
  };
  const int h = two(0), m = two(3), sec = two(6);
  if (h > 23 || m > 59 || sec > 60) return 0;
  t.second_of_day = h * 3600 + m * 60 + sec;
  std::size_t p = i + 8;
  if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
    std::size_t n = 0;
    int micros = 0;
    while (p + 1 + n < s.size() && is_digit(s[p + 1 + n])) {
      if (n < 6) micros = micros * 10 + (s[p + 1 + n] - '0');
      ++n;
    }
    if (n == 0) return 0;
    for (std::size_t k = n; k < 6; ++k) micros *= 10;
    t.micros = micros;
    p += 1 + n;
  }
  return p - i;
}

// An ISO 8601 / RFC 3339 timestamp at s[0]: returns its length or 0.
std::size_t parse_iso(std::string_view s, LogTime& t) noexcept {
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || s[4] != '-' || s[7] != '-' ||
      (s.size() > 10 && s[10] != 'T' && s[10] != ' '))
    return 0;
  t.year = static_cast<std::int16_t>(y);
  t.month = static_cast<std::uint8_t>(mo);
  t.day = static_cast<std::uint8_t>(d);
  const std::size_t clock = parse_clock(s, 11, t);
  if (clock == 0) return 0;
  std::size_t p = 11 + clock;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    t.has_zone = true;
    return p + 1;
  }
  if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p] == '-' ? -1 : 1;
    const int hh = digits(s, p + 1, 2);
    std::size_t q = p + 3;
    if (q < s.size() && s[q] == ':') ++q;
    const int mm = digits(s, q, 2);
    if (hh < 0 || mm < 0) return 0;
    t.offset_s = sign * (hh * 3600 + mm * 60);
    t.has_zone = true;
    return q + 2;
  }
  return p;  // no zone: local time
}

// "Mon DD HH:MM:SS[.frac]" (DD space-padded or not) at s[i]; length or 0.
std::size_t parse_classic(std::string_view s, std::size_t i, LogTime& t) noexcept {
  const int mo = month_of(s, i);
  if (mo == 0 || i + 3 >= s.size() || s[i + 3] != ' ') return 0;
  std::size_t p = i + 4;
  if (p < s.size() && s[p] == ' ') ++p;  // space-padded day
  int d = 0;
  std::size_t n = 0;
  while (p + n < s.size() && is_digit(s[p + n]) && n < 2) d = d * 10 + (s[p + n++] - '0');
  if (n == 0 || d < 1 || d > 31 || p + n >= s.size() || s[p + n] != ' ') return 0;
  p += n + 1;
  const std::size_t clock = parse_clock(s, p, t);
  if (clock == 0) return 0;
  t.month = static_cast<std::uint8_t>(mo);
  t.day = static_cast<std::uint8_t>(d);
  return p + clock - i;
}

// The timestamp a line starts with (ISO 8601, "Mon DD HH:MM:SS", or the
// latter after a year): its length, or 0.
std::size_t parse_leading_time(std::string_view line, LogTime& t) noexcept {
  if (line.size() >= 19 && is_digit(line[0]) && line[4] == '-') return parse_iso(line, t);
  if (line.size() >= 20 && is_digit(line[0]) && line[4] == ' ') {  // "2013 Jun 10 06:28:18.123"
    const int y = digits(line, 0, 4);
    const std::size_t len = y > 0 ? parse_classic(line, 5, t) : 0;
    if (len == 0) return 0;
    t.year = static_cast<std::int16_t>(y);
    return len + 5;
  }
  return parse_classic(line, 0, t);
}

// The last header timestamp parsed on this thread. Consecutive lines mostly
// carry the same one (a busy server logs many lines a second), and a parse of
// the text up to the space after it reads nothing else: when a line starts
// with the same text and a space, the parse is the same.
struct TimeMemo {
  static constexpr std::size_t kMaxText = 48;
  char text[kMaxText];
  std::size_t size = 0;  // 0: nothing remembered
  LogTime time;

  // The remembered length (setting `t`) when `line` starts with the text and a space; else 0.
  std::size_t find(std::string_view line, LogTime& t) const noexcept {
    if (size == 0 || line.size() <= size || line[size] != ' ' ||
        std::memcmp(line.data(), text, size) != 0)
      return 0;
    t = time;
    return size;
  }
  // Remembers a header's time: `len` bytes of `line` followed by a space.
  // A longer text than fits keeps the previous one, which stays exact.
  void remember(std::string_view line, std::size_t len, const LogTime& t) noexcept {
    if (len > kMaxText) return;
    std::memcpy(text, line.data(), len);
    size = len;
    time = t;
  }
};

// The next space-delimited token at s[p]; advances p past one space.
std::string_view token(std::string_view s, std::size_t& p) noexcept {
  const std::size_t start = p;
  p = std::min(s.find(' ', p), s.size());
  const std::string_view tok = s.substr(start, p - start);
  if (p < s.size()) ++p;
  return tok;
}

// Where a program name at s[p] ends (at '[', ':' or ' '), npos at none.
std::size_t tag_end(std::string_view s, std::size_t p) noexcept {
  return find_first_of_any(s, p, '[', ':', ' ');
}

// "prog[pid]: " or "prog: " at s[p], the name ending at `end` (tag_end):
// sets program and returns the message start, or npos when s[p] is not a
// program tag.
std::size_t parse_tag(std::string_view s, std::size_t p, std::size_t end,
                      std::string_view& program) noexcept {
  std::size_t q = std::min(end, s.size());
  if (q == p || q >= s.size()) return std::string_view::npos;
  program = unchecked_substr(s, p, q - p);
  if (s[q] == '[') {
    std::size_t close = q + 1;  // a pid is a few digits: a loop beats a memchr call
    while (close < s.size() && s[close] != ']') ++close;
    if (close >= s.size()) return std::string_view::npos;
    q = close + 1;
  }
  if (q >= s.size() || s[q] != ':') return std::string_view::npos;
  ++q;
  if (q < s.size() && s[q] == ' ') ++q;
  return q;
}

// Solaris adds "[ID 801593 mail.info] " before the message.
std::string_view strip_solaris_id(std::string_view msg) noexcept {
  if (msg.starts_with("[ID ")) {
    const std::size_t close = msg.find("] ");
    if (close != std::string_view::npos) return msg.substr(close + 2);
  }
  return msg;
}

}  // namespace

std::size_t parse_iso8601(std::string_view text, LogTime& out) noexcept {
  LogTime t;
  const std::size_t n = text.size() >= 19 ? parse_iso(text, t) : 0;
  if (n) out = t;
  return n;
}

// Every path returns `out` itself, and the time is parsed into it in place:
// the result is then built in the caller's object (a copy of a local built
// field by field stalled on store forwarding, the costliest part of the scan).
SyslogLine parse_syslog_line(std::string_view line) noexcept {
  SyslogLine out;  // each path sets message as it returns: `line` stays in registers
  std::size_t p = 0;
  LogTime& t = out.time;

  if (line.size() > 4 && line[0] == '<') {  // RFC 5424: <PRI>1 TIME HOST APP PROCID MSGID SD MSG
    std::size_t q = 1;
    while (q < line.size() && is_digit(line[q])) ++q;
    if (q < line.size() && line[q] == '>' && q + 2 < line.size() && line[q + 1] == '1' &&
        line[q + 2] == ' ') {
      p = q + 3;
      const std::size_t len = parse_iso(line.substr(p), t);
      if (len == 0) {
        t = LogTime{};
        out.message = line;
        return out;
      }
      out.time_text = line.substr(p, len);
      p += len + 1;
      out.host = token(line, p);
      out.program = token(line, p);
      token(line, p);                           // procid
      token(line, p);                           // msgid
      if (p < line.size() && line[p] == '[') {  // structured data: [..][..] or -
        while (p < line.size() && line[p] == '[') {
          const std::size_t close = line.find(']', p);
          if (close == std::string_view::npos) {
            out = SyslogLine{};
            out.message = line;
            return out;
          }
          p = close + 1;
        }
        if (p < line.size() && line[p] == ' ') ++p;
      } else {
        token(line, p);
      }
      if (out.host == "-") out.host = {};
      out.message = line.substr(std::min(p, line.size()));
      out.has_header = true;
      return out;
    }
  }

  thread_local TimeMemo last;
  std::size_t len = last.find(line, t);  // what it remembers is a header's time
  if (len == 0) {
    len = parse_leading_time(line, t);
    if (len == 0 || len >= line.size() || line[len] != ' ') {  // message only
      t = LogTime{};
      out.message = line;
      return out;
    }
    last.remember(line, len, t);
  }
  out.time_text = unchecked_substr(line, 0, len);
  p = len + 1;
  // Host, unless the next token already is the program tag (no hostname). A
  // first token that ends at a space is the host.
  std::string_view program;
  const std::size_t first_end = tag_end(line, p);
  const bool host_first = first_end != std::string_view::npos && line[first_end] == ' ';
  std::size_t msg = host_first ? std::string_view::npos : parse_tag(line, p, first_end, program);
  if (msg == std::string_view::npos || program.find('.') != std::string_view::npos) {
    if (host_first) {  // the host ends where the scan above stopped
      out.host = unchecked_substr(line, p, first_end - p);
      p = first_end + 1;
    } else {
      out.host = token(line, p);
    }
    msg = parse_tag(line, p, tag_end(line, p), program);
    if (msg == std::string_view::npos) {
      // A header without a program tag: keep the time and host, the rest is the message.
      out.message = line.substr(p);
      out.has_header = true;
      return out;
    }
  }
  out.program = program;
  out.message = strip_solaris_id(unchecked_substr(line, msg));
  out.has_header = true;
  return out;
}

}  // namespace bounce::formats
