// The scanning helpers of text_util.hpp against their obvious byte-by-byte
// definitions, at every position and length (the SWAR paths work on 8-byte
// words, so the interesting cases are the word boundaries and the tails).

#include "text_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace bounce {
namespace {

TEST(TextUtil, HasAsciiUpperMatchesAByteScan) {
  // Bytes around the letters' edges, and bytes from 0x80 up, which are no letters.
  const std::string probes = "@AZ[`az{\x80\xc1\xda\xff";
  for (std::size_t len = 0; len <= 19; ++len)
    for (std::size_t at = 0; at < len; ++at)
      for (const char probe : probes) {
        std::string s(len, 'x');
        s[at] = probe;
        const bool expected = probe >= 'A' && probe <= 'Z';
        EXPECT_EQ(has_ascii_upper(s), expected)
            << "length " << len << ", byte " << static_cast<int>(probe) << " at " << at;
      }
  EXPECT_FALSE(has_ascii_upper(""));
  EXPECT_FALSE(has_ascii_upper("user4552428@gmail.com"));
  EXPECT_TRUE(has_ascii_upper("user4552428@Gmail.com"));
}

TEST(TextUtil, UncheckedSubstrMatchesSubstr) {
  const std::string_view s = "Jul  5 06:52:11 mx postfix/smtp[1]: x";
  for (std::size_t pos = 0; pos <= s.size(); ++pos) {
    EXPECT_EQ(unchecked_substr(s, pos), s.substr(pos));
    for (std::size_t n = 0; n <= s.size() + 1; ++n)
      EXPECT_EQ(unchecked_substr(s, pos, n), s.substr(pos, n)) << pos << " " << n;
  }
}

TEST(TextUtil, CopyTextCopiesExactlyTheBytes) {
  // Every length across the byte, half-word, word and memcpy paths; the
  // bytes after the copy must be left as they were.
  const std::string source = "abcdefghijklmnopqrstuvwxyz";
  for (std::size_t len = 0; len <= 20; ++len) {
    std::string out(32, '#');
    copy_text(out.data(), std::string_view(source).substr(0, len));
    EXPECT_EQ(out.substr(0, len), source.substr(0, len)) << len;
    EXPECT_EQ(out.substr(len), std::string(32 - len, '#')) << len;
  }
}

TEST(TextUtil, SameTextMatchesEquality) {
  // Every length across the byte, half-word, word and memcmp paths, with one
  // byte changed at each position (the two words overlap in the middle).
  for (std::size_t len = 0; len <= 20; ++len) {
    const std::string a(len, 'q');
    EXPECT_TRUE(same_text(a, std::string(len, 'q')));
    EXPECT_FALSE(same_text(a, std::string(len + 1, 'q')));
    for (std::size_t at = 0; at < len; ++at) {
      std::string b = a;
      b[at] = 'r';
      EXPECT_FALSE(same_text(a, b)) << "length " << len << ", differing at " << at;
    }
  }
  EXPECT_TRUE(same_text("postfix/smtp", "postfix/smtp"));
  EXPECT_FALSE(same_text("postfix/smtp", "postfix/qmgr"));
}

TEST(TextUtil, FindFirstOfAnyMatchesFindFirstOf) {
  for (std::size_t len = 0; len <= 19; ++len)
    for (std::size_t a = 0; a <= len; ++a)
      for (std::size_t b = a; b <= len; ++b) {
        std::string s(len, 'x');
        if (a < len) s[a] = '"';
        if (b < len) s[b] = ' ';
        for (std::size_t from = 0; from <= len; ++from)
          EXPECT_EQ(find_first_of_any(s, from, ' ', '"'), s.find_first_of(" \"", from))
              << "'" << s << "' from " << from;
      }
  EXPECT_EQ(find_first_of_any(std::string_view("prog[1]: x"), 0, '[', ':', ' '), 4u);
}

// The hash's tail is loaded without a variable-length copy; its value is the
// plain definition's: each 8-byte word, then the tail bytes zero-extended.
TEST(TextUtil, HashTextTailEqualsThePlainDefinition) {
  const auto plain = [](std::string_view s, std::uint64_t seed) {
    std::uint64_t h = seed ^ (s.size() * 0x9E3779B97F4A7C15ull);
    for (std::size_t i = 0; i < s.size(); i += 8) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, std::min<std::size_t>(8, s.size() - i));
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  };
  const std::string text = "1uXvwO-000001-5f\xff\x80mx1.example.com";
  for (std::size_t from = 0; from < 8; ++from)
    for (std::size_t len = 0; from + len <= text.size(); ++len) {
      const std::string_view s = std::string_view(text).substr(from, len);
      EXPECT_EQ(hash_text(s, 7), plain(s, 7)) << from << " " << len;
    }
}

}  // namespace
}  // namespace bounce
