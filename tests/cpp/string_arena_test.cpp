// StringArena: copies stay valid while later copies fill and add blocks,
// strings larger than a block get one of their own, and clear() reuses the
// blocks without disturbing what is copied after it.

#include "string_arena.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bounce {
namespace {

TEST(StringArena, CopiesSurviveLaterCopiesAndOversizedStrings) {
  StringArena arena;
  std::vector<std::string> originals;
  std::vector<std::string_view> copies;
  // Enough small strings to span several blocks, with two larger than a block.
  for (int i = 0; i < 40000; ++i) {
    originals.push_back("value-" + std::to_string(i) +
                        std::string(static_cast<std::size_t>(i % 50), 'x'));
    if (i == 1000 || i == 30000) originals.push_back(std::string(300 * 1024 + i, 'L'));
  }
  for (const std::string& s : originals) copies.push_back(arena.copy(s));
  ASSERT_EQ(copies.size(), originals.size());
  for (std::size_t i = 0; i < copies.size(); ++i) {
    EXPECT_EQ(copies[i], originals[i]) << i;
    EXPECT_NE(copies[i].data(), originals[i].data()) << i;  // a copy, not the original
  }
  EXPECT_TRUE(arena.copy("").empty());
}

TEST(StringArena, ClearReusesBlocks) {
  StringArena arena;
  const std::string big(400 * 1024, 'B');
  arena.copy("first");
  arena.copy(big);
  arena.clear();
  // After clear(), a block too small for the oversized string is replaced,
  // and small strings land in reused blocks: all copies are intact.
  const std::string bigger(600 * 1024, 'C');
  const std::string_view a = arena.copy("after clear");
  const std::string_view b = arena.copy(bigger);
  const std::string_view c = arena.copy("and after that");
  EXPECT_EQ(a, "after clear");
  EXPECT_EQ(b, bigger);
  EXPECT_EQ(c, "and after that");
}

}  // namespace
}  // namespace bounce
