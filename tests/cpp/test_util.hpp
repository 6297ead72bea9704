// Helpers shared by the reader tests: files from the source tree, records as JSONL.

#ifndef BOUNCE_TESTS_CPP_TEST_UTIL_HPP_
#define BOUNCE_TESTS_CPP_TEST_UTIL_HPP_

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

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

inline void ExpectSameLines(const std::vector<std::string>& got,
                            const std::vector<std::string>& expected, const std::string& what) {
  ASSERT_EQ(got.size(), expected.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], expected[i])
        << what << " record " << i + 1
        << "\n(tests/golden/regenerate rewrites the goldens; review the diff)";
}

struct LineCounts {
  std::uint64_t lines, parsed, ignored, unparsed;
};

// Reads corpus/samples/DIR/NAME in both views and compares the records with
// DIR/expected/NAME.{attempts,final}.jsonl and the line accounting with
// `counts` (from the sample's README).
inline void ExpectGoldenSample(const std::string& dir, const std::string& name,
                               const LineCounts& counts, ReaderOptions options = {}) {
  const std::string log = ReadSourceFile("corpus/samples/" + dir + "/" + name);
  for (View view : {View::attempts, View::final}) {
    options.view = view;
    const auto got = ReadAll({InputSource::memory(name, log)}, options);
    const std::string expected = "corpus/samples/" + dir + "/expected/" + name +
                                 (view == View::final ? ".final" : ".attempts") + ".jsonl";
    ExpectSameLines(got.jsonl, Lines(ReadSourceFile(expected)), expected);
    EXPECT_EQ(got.stats.lines, counts.lines) << expected;
    EXPECT_EQ(got.stats.parsed, counts.parsed) << expected;
    EXPECT_EQ(got.stats.ignored, counts.ignored) << expected;
    EXPECT_EQ(got.stats.unparsed, counts.unparsed) << expected;
  }
}

inline std::string Gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string Zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

}  // namespace bounce::testing_util

#endif  // BOUNCE_TESTS_CPP_TEST_UTIL_HPP_
