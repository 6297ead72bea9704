// formats::JsonArraySplitter: element texts of one JSON array fed in pieces.

#include "formats/json_array_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bounce::formats {
namespace {

// The elements, feeding `text` in pieces of `piece` bytes.
std::vector<std::string> Split(std::string_view text, std::size_t piece, bool* complete = nullptr) {
  JsonArraySplitter splitter;
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size(); at += piece)
    splitter.add(text.substr(at, piece), [&](std::string_view e) { out.emplace_back(e); });
  if (complete) *complete = splitter.complete();
  return out;
}

TEST(JsonArraySplitter, ElementsWhateverThePieces) {
  // Brackets, braces, commas and escaped quotes inside strings; nesting;
  // scalars; spaces and newlines between elements.
  const std::string text =
      "\n[\n  {\"a\": \"x],}\\\"{[\", \"b\": [1, {\"c\": 2}]},\n  [3, 4] ,\"s,]\" , 5,true ,\n"
      "  {}\n]\n";
  const std::vector<std::string> want = {
      "{\"a\": \"x],}\\\"{[\", \"b\": [1, {\"c\": 2}]}", "[3, 4]", "\"s,]\" ", "5", "true ", "{}"};
  for (const std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, text.size()}) {
    bool complete = false;
    EXPECT_EQ(Split(text, piece, &complete), want) << "pieces of " << piece;
    EXPECT_TRUE(complete);
  }
}

TEST(JsonArraySplitter, EmptyTruncatedAndSurroundedArrays) {
  bool complete = false;
  EXPECT_TRUE(Split("[ ]", 1, &complete).empty());
  EXPECT_TRUE(complete);
  // Cut inside the second element: the first came out, the array is not complete.
  EXPECT_EQ(Split("[{\"a\":1},{\"b\":", 3, &complete), (std::vector<std::string>{"{\"a\":1}"}));
  EXPECT_FALSE(complete);
  Split("[1] x", 2, &complete);  // text after the array
  EXPECT_FALSE(complete);
  Split("x [1]", 2, &complete);  // text before it
  EXPECT_FALSE(complete);
}

}  // namespace
}  // namespace bounce::formats
