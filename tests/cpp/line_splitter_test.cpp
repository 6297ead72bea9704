// io::LineSplitter: the same lines as a memchr per line, for texts that put
// newlines on, before and after the 64-byte block boundaries, in the tail
// shorter than a block, back to back, and not at the end.

#include "io/line_splitter.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace bounce::io {
namespace {

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> lines;
  LineSplitter splitter(text);
  for (std::string_view line; splitter.next(line);) lines.emplace_back(line);
  return lines;
}

// What the reader did before: a memchr (find) per line.
std::vector<std::string> reference(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    lines.emplace_back(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  }
  return lines;
}

TEST(LineSplitter, SplitsRealLinesAndKeepsALastLineWithoutNewline) {
  const std::string log =
      "Jul  5 06:00:21 mx1 postfix/smtpd[29971]: connect from unknown[198.51.100.7]\n"
      "Jul  5 06:00:21 mx1 postfix/smtpd[29971]: 185EB21CBD: client=unknown[198.51.100.7]\r\n"
      "\n"
      "Jul  5 06:00:22 mx1 postfix/qmgr[812]: 185EB21CBD: removed";
  EXPECT_EQ(split(log),
            (std::vector<std::string>{
                "Jul  5 06:00:21 mx1 postfix/smtpd[29971]: connect from unknown[198.51.100.7]",
                "Jul  5 06:00:21 mx1 postfix/smtpd[29971]: 185EB21CBD: "
                "client=unknown[198.51.100.7]\r",
                "", "Jul  5 06:00:22 mx1 postfix/qmgr[812]: 185EB21CBD: removed"}));
}

TEST(LineSplitter, NothingInNothingOut) {
  EXPECT_TRUE(split("").empty());
  EXPECT_EQ(split("\n"), (std::vector<std::string>{""}));
  EXPECT_EQ(split("\n\n"), (std::vector<std::string>{"", ""}));
}

TEST(LineSplitter, NewlinesAtEveryPlaceAroundTheBlockBoundaries) {
  for (std::size_t size = 0; size <= 200; ++size)
    for (std::size_t at = 0; at < size; ++at) {
      std::string text(size, 'x');
      text[at] = '\n';
      ASSERT_EQ(split(text), reference(text)) << "size " << size << ", newline at " << at;
      text.back() = '\n';
      ASSERT_EQ(split(text), reference(text)) << "size " << size << ", and at the end";
    }
}

TEST(LineSplitter, RandomTextsMatchAMemchrPerLine) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 600, 'a');
    const unsigned density = 1 + rng() % 64;  // from every byte a newline to few
    for (char& c : text)
      if (rng() % density == 0) c = '\n';
    ASSERT_EQ(split(text), reference(text)) << "round " << round;
  }
}

}  // namespace
}  // namespace bounce::io
