// Helpers shared by the reader tests: files from the source tree, records as JSONL.

#ifndef BOUNCE_TESTS_CPP_TEST_UTIL_HPP_
#define BOUNCE_TESTS_CPP_TEST_UTIL_HPP_

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bounce/reader.hpp"
#include "record_fields.hpp"

namespace bounce::testing_util {

inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(LIBBOUNCE_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

struct ReadResult {
  std::vector<std::string> jsonl;
  ParseStats stats;
};

// Reads inputs with the given options and serialises each record exactly as
// `bounce parse` does.
inline ReadResult ReadAll(const std::vector<InputSource>& inputs, ReaderOptions options) {
  ReadResult out;
  Reader reader(std::move(options));
  out.stats = reader.read(inputs, [&](const Record& r) {
    JsonObject obj;
    cli::write_record_json(obj, r);
    out.jsonl.push_back(obj.str());
  });
  return out;
}

}  // namespace bounce::testing_util

#endif  // BOUNCE_TESTS_CPP_TEST_UTIL_HPP_
