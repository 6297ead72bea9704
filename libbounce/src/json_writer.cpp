#include "json_writer.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>

#include "text_util.hpp"

namespace bounce {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xE  ? 3
                  : (b >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  if (n == 2 && b < 0xC2) return 0;  // overlong
  return n;
}

// The end of the ASCII run starting at s[i], 8 bytes at a time: log text is
// almost all ASCII, and copying it in runs beats a byte-by-byte check.
std::size_t ascii_run_end(std::string_view s, std::size_t i) {
  for (std::uint64_t word = 0; i + 8 <= s.size(); i += 8) {
    std::memcpy(&word, s.data() + i, 8);
    if (word & swar::kHigh) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Printable ASCII other than '"' and '\\': what JSON takes as it is.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// The high bit of each byte of `w` that is not plain (of some, at least:
// a false positive only ever sits above a true one, so "none" is exact).
std::uint64_t special_bytes(std::uint64_t w) {
  using swar::kHigh, swar::kOnes, swar::zero_bytes;
  return (w & kHigh) | ((w - 0x20 * kOnes) & ~w & kHigh) | zero_bytes(w ^ (0x22 * kOnes)) |
         zero_bytes(w ^ (0x5C * kOnes));
}

// The end of the plain run starting at s[i]. Eight bytes at a time (a word
// with any byte of another kind is left to the byte loop, which decides
// exactly).
std::size_t plain_json_run_end(std::string_view s, std::size_t i) {
  for (std::uint64_t w = 0; i + 8 <= s.size(); i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    if (special_bytes(w)) break;
  }
  while (i < s.size() && kPlain[static_cast<unsigned char>(s[i])]) ++i;
  return i;
}

// Whether all of `s` is plain (the common case, checked first).
bool plain_json(std::string_view s) {
  return !swar::any_byte(
      s, [](char c) { return !kPlain[static_cast<unsigned char>(c)]; }, special_bytes);
}

}  // namespace

void append_utf8(std::string& out, std::string_view s) {
  if (is_ascii(s)) {  // the common case: copied whole
    out.append(s);
    return;
  }
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t end = ascii_run_end(s, i); end > i) {
      out.append(s.data() + i, end - i);
      i = end;
    } else if (const std::size_t n = utf8_length(s, i)) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);  // the common case: nothing to escape
  out.push_back('"');
  if (plain_json(s)) {
    out.append(s);
    out.push_back('"');
    return;
  }
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t end = plain_json_run_end(s, i); end > i) {
      out.append(s.data() + i, end - i);
      i = end;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = utf8_length(s, i)) {
        out.append(s.substr(i, n));
        i += n;
      } else {
        out += "\xEF\xBF\xBD";
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";  // the other control characters
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    ++i;
  }
  out.push_back('"');
}

void JsonObject::key(std::string_view k) {
  if (!first_) out_->push_back(',');
  first_ = false;
  append_json_string(*out_, k);
  out_->push_back(':');
}

JsonObject& JsonObject::add(std::string_view k, std::string_view value) {
  key(k);
  append_json_string(*out_, value);
  return *this;
}

JsonObject& JsonObject::add(std::string_view k, std::int64_t value) {
  key(k);
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, end);
  return *this;
}

JsonObject& JsonObject::add_number(std::string_view k, double value) {
  key(k);
  if (!(value == value) || value > 1e300 || value < -1e300) {  // NaN or infinite: not JSON
    *out_ += "null";
    return *this;
  }
  char buf[32];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out_->append(buf, ec == std::errc{} ? end : buf);
  return *this;
}

JsonObject& JsonObject::add(std::string_view k, bool value) {
  key(k);
  *out_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::add_raw(std::string_view k, std::string_view json) {
  key(k);
  out_->append(json);
  return *this;
}

JsonObject& JsonObject::add_null(std::string_view k) {
  key(k);
  *out_ += "null";
  return *this;
}

}  // namespace bounce
