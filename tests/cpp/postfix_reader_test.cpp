// The Postfix pipeline end to end: golden outputs for the sample logs (checked
// by hand against corpus/samples/postfix/README.md), line accounting, and the
// properties that must hold for any chunk size, thread count and compression.

#include <gtest/gtest.h>
#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <stdexcept>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using testing_util::ExpectSameLines;
using testing_util::Gzip;
using testing_util::Lines;
using testing_util::ReadAll;
using testing_util::ReadSourceFile;
using testing_util::Zstd;

const char* const kSamples[] = {"classic", "iso8601", "variants", "dec_rollover"};

ReaderOptions Options(View view) {
  ReaderOptions o;
  o.year = 2025;
  o.view = view;
  return o;
}

class PostfixGolden : public testing::TestWithParam<std::tuple<const char*, View>> {};

TEST_P(PostfixGolden, MatchesTheReviewedOutput) {
  const auto [name, view] = GetParam();
  const std::string log = ReadSourceFile(std::string("corpus/samples/postfix/") + name + ".log");
  const std::string expected_path = std::string("corpus/samples/postfix/expected/") + name +
                                    (view == View::final ? ".final" : ".attempts") + ".jsonl";
  const auto expected = Lines(ReadSourceFile(expected_path));
  ASSERT_FALSE(expected.empty()) << expected_path;
  ExpectSameLines(
      ReadAll({InputSource::memory(std::string(name) + ".log", log)}, Options(view)).jsonl,
      expected, expected_path);
}

INSTANTIATE_TEST_SUITE_P(Samples, PostfixGolden,
                         testing::Combine(testing::ValuesIn(kSamples),
                                          testing::Values(View::attempts, View::final)),
                         [](const auto& p) {
                           return std::string(std::get<0>(p.param)) +
                                  (std::get<1>(p.param) == View::final ? "Final" : "Attempts");
                         });

// The counts in corpus/samples/postfix/README.md, line by line.
TEST(PostfixReader, EveryLineLandsInExactlyOneBucket) {
  struct Expect {
    const char* name;
    std::uint64_t lines, parsed, ignored, unparsed;
  } expects[] = {{"classic", 160, 127, 33, 0},
                 {"iso8601", 30, 29, 1, 0},
                 {"variants", 64, 43, 19, 2},
                 {"dec_rollover", 13, 10, 3, 0}};
  for (const auto& e : expects) {
    const std::string log =
        ReadSourceFile(std::string("corpus/samples/postfix/") + e.name + ".log");
    const ParseStats s = ReadAll({InputSource::memory(e.name, log)}, Options(View::final)).stats;
    EXPECT_EQ(s.lines, e.lines) << e.name;
    EXPECT_EQ(s.parsed, e.parsed) << e.name;
    EXPECT_EQ(s.ignored, e.ignored) << e.name;
    EXPECT_EQ(s.unparsed, e.unparsed) << e.name;
    std::uint64_t by_program = 0;
    for (const auto& [program, c] : s.by_program) by_program += c.parsed + c.ignored + c.unparsed;
    EXPECT_EQ(by_program, s.lines) << e.name;
    EXPECT_EQ(s.bytes, log.size()) << e.name;
  }
}

// Property: the same records for every chunk size, thread count and compression.
TEST(PostfixReader, OutputIndependentOfChunksThreadsAndCompression) {
  std::string all;
  for (const char* name : kSamples) {
    std::string log = ReadSourceFile(std::string("corpus/samples/postfix/") + name + ".log");
    if (!log.empty() && log.back() != '\n') log.push_back('\n');
    all += log;
  }
  // Repeat to get several chunks even at the largest sizes tested.
  std::string big;
  for (int i = 0; i < 40; ++i) big += all;
  for (View view : {View::attempts, View::final}) {
    const auto reference = ReadAll({InputSource::memory("big", big)}, Options(view));
    ASSERT_GT(reference.jsonl.size(), 1000u);
    for (std::size_t chunk : {4096u, 10000u, 65536u, 1u << 20}) {
      for (unsigned threads : {1u, 2u, 3u}) {
        ReaderOptions o = Options(view);
        o.chunk_size = chunk;
        o.threads = threads;
        const auto got = ReadAll({InputSource::memory("big", big)}, o);
        EXPECT_EQ(got.jsonl, reference.jsonl) << "chunk " << chunk << " threads " << threads;
        EXPECT_EQ(got.stats.lines, reference.stats.lines);
        EXPECT_EQ(got.stats.parsed + got.stats.ignored + got.stats.unparsed, got.stats.lines);
      }
    }
    const std::string gz = Gzip(big), zst = Zstd(big);
    for (const std::string* packed : {&gz, &zst}) {
      ReaderOptions o = Options(view);
      o.chunk_size = 8192;
      o.threads = 2;
      const auto got = ReadAll({InputSource::memory("big", *packed)}, o);
      EXPECT_EQ(got.jsonl, reference.jsonl) << (packed == &gz ? "gzip" : "zstd");
      EXPECT_EQ(got.stats.bytes, big.size());
    }
  }
}

TEST(PostfixReader, CrlfAndMissingFinalNewlineGiveTheSameRecords) {
  const std::string lf =
      "Jan 6 08:39:49 mail postfix/qmgr[1]: 1A2B3C4D5E: from=<a@example.org>, size=1, nrcpt=1 "
      "(queue active)\n"
      "Jan 6 08:39:50 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, "
      "relay=mx[192.0.2.1]:25, "
      "delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n"
      "Jan 6 08:39:50 mail postfix/qmgr[1]: 1A2B3C4D5E: removed\n";
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  const std::string no_final = lf.substr(0, lf.size() - 1);
  const auto a = ReadAll({InputSource::memory("x", lf)}, Options(View::final));
  ASSERT_EQ(a.jsonl.size(), 1u);
  EXPECT_EQ(ReadAll({InputSource::memory("x", crlf)}, Options(View::final)).jsonl, a.jsonl);
  const auto c = ReadAll({InputSource::memory("x", no_final)}, Options(View::final));
  EXPECT_EQ(c.jsonl, a.jsonl);
  EXPECT_EQ(c.stats.lines, 3u);
}

TEST(PostfixReader, YearFromOptionRollsOverAtNewYear) {
  const std::string log = ReadSourceFile("corpus/samples/postfix/dec_rollover.log");
  std::vector<std::string> times;
  Reader reader(Options(View::final));
  reader.read(std::vector<InputSource>{InputSource::memory("d", log)},
              [&](const Record& r) { times.push_back(cli::format_utc(r.time_us)); });
  EXPECT_EQ(times, (std::vector<std::string>{"2025-12-31T23:59:52.000000Z",
                                             "2026-01-01T00:00:03.000000Z"}));
}

TEST(PostfixReader, YearInferredFromFileModificationTime) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(testing::TempDir()) / "mtime.log";
  std::ofstream(path) << ReadSourceFile("corpus/samples/postfix/dec_rollover.log");
  // Written on 2026-01-02: the December lines are 2025's, the January ones 2026's.
  const std::time_t when = 1767312000;  // 2026-01-02T00:00:00Z
  const struct timespec stamp[2] = {{when, 0}, {when, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), stamp, 0), 0);
  ReaderOptions o;
  o.view = View::final;
  std::vector<std::string> times;
  Reader(o).read_file(path.string(),
                      [&](const Record& r) { times.push_back(cli::format_utc(r.time_us)); });
  EXPECT_EQ(times, (std::vector<std::string>{"2025-12-31T23:59:52.000000Z",
                                             "2026-01-01T00:00:03.000000Z"}));
}

TEST(PostfixReader, TimeZoneOptionShiftsZonelessTimes) {
  const std::string log =
      "Jan 6 08:00:00 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, relay=none, delay=1, "
      "dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection timed out)\n";
  ReaderOptions o = Options(View::attempts);
  o.tz = "+01:00";
  std::string time;
  Reader(o).read(std::vector<InputSource>{InputSource::memory("t", log)},
                 [&](const Record& r) { time = cli::format_utc(r.time_us); });
  EXPECT_EQ(time, "2025-01-06T07:00:00.000000Z");
  o.tz = "Europe/Paris";
  EXPECT_THROW(Reader{o}, Error);
}

TEST(PostfixReader, StrictModeNamesTheLine) {
  const std::string log = ReadSourceFile("corpus/samples/postfix/variants.log");
  ReaderOptions o = Options(View::attempts);
  o.strict = true;
  try {
    ReadAll({InputSource::memory("variants.log", log)}, o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("variants.log:46:"), std::string::npos) << e.what();
  }
  std::vector<std::uint64_t> lines;
  o.strict = false;
  o.on_diagnostic = [&](const Diagnostic& d) { lines.push_back(d.line); };
  ReadAll({InputSource::memory("variants.log", log)}, o);
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{46, 51}));
}

// With workers parsing ahead, an error in the serial step (strict mode, or the
// caller's callback) must still surface at once and leave no thread behind.
TEST(PostfixReader, ErrorsStopAThreadedRead) {
  std::string log;
  for (int i = 0; i < 20000; ++i)
    log +=
        "Jan 6 08:00:00 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, relay=none, "
        "delay=1, dsn=4.4.1, status=deferred (connect to x[192.0.2.1]:25: Connection timed "
        "out)\n";
  log += "Jan 6 08:00:01 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org> garbage\n";
  log += log;
  ReaderOptions o = Options(View::attempts);
  o.threads = 2;
  o.chunk_size = 4096;
  o.strict = true;
  try {
    ReadAll({InputSource::memory("big.log", log)}, o);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("big.log:20001:"), std::string::npos) << e.what();
  }
  o.strict = false;
  Reader reader(o);
  std::size_t seen = 0;
  EXPECT_THROW(reader.read(std::vector<InputSource>{InputSource::memory("big.log", log)},
                           [&](const Record&) {
                             if (++seen == 1000) throw std::runtime_error("consumer gave up");
                           }),
               std::runtime_error);
  EXPECT_EQ(seen, 1000u);
  // The same reader reads again, whole.
  seen = 0;
  reader.read(std::vector<InputSource>{InputSource::memory("big.log", log)},
              [&](const Record&) { ++seen; });
  EXPECT_EQ(seen, 40000u);
}

TEST(PostfixReader, MissingAndDirectoryInputsAreClearErrors) {
  Reader reader(Options(View::attempts));
  const auto noop = [](const Record&) {};
  try {
    reader.read_file("/nonexistent/mail.log", noop);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/mail.log"), std::string::npos);
  }
  EXPECT_THROW(reader.read_file(testing::TempDir(), noop), InputError);
  std::string noise(100000, '\0');
  unsigned state = 1;
  for (char& c : noise) c = static_cast<char>((state = state * 1103515245u + 12345u) >> 24);
  const std::string corrupt = Gzip(noise).substr(0, 2000);  // cut mid-stream
  EXPECT_THROW(ReadAll({InputSource::memory("cut.gz", corrupt)}, Options(View::attempts)),
               InputError);
}

TEST(PostfixReader, EvictionKeepsMemoryBoundedAndStillEmits) {
  std::string log;
  for (int i = 0; i < 500; ++i) {
    char qid[16];
    std::snprintf(qid, sizeof qid, "ABC%05d", i);
    log += std::string("Jan 6 08:00:00 mail postfix/qmgr[1]: ") + qid +
           ": from=<a@example.org>, size=1, nrcpt=1 (queue active)\n";
    log += std::string("Jan 6 08:00:01 mail postfix/smtp[2]: ") + qid +
           ": to=<b@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to "
           "x[192.0.2.1]:25: Connection timed out)\n";
  }
  ReaderOptions o = Options(View::final);
  o.max_open_messages = 10;
  const auto r = ReadAll({InputSource::memory("many", log)}, o);
  EXPECT_EQ(r.jsonl.size(), 500u);  // every pending recipient still comes out, deferred
  EXPECT_EQ(r.stats.evicted_messages, 490u);
}

TEST(RotatedLogs, OldestFirst) {
  const auto ordered =
      order_rotated({"mail.log", "mail.log.1", "mail.log.2.gz", "mail.log.10.gz", "other.log",
                     "maillog-20250103.zst", "maillog-20250102", "maillog", "-"});
  std::vector<std::string> names;
  for (const auto& s : ordered) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"mail.log.10.gz", "mail.log.2.gz", "mail.log.1",
                                             "mail.log", "other.log", "maillog-20250102",
                                             "maillog-20250103.zst", "maillog", "-"}));
  EXPECT_EQ(ordered.back().kind, InputSource::Kind::standard_input);
  const auto stamped = order_rotated({"maillog.20250104-101500.gz", "maillog.20250103-235959.gz"});
  EXPECT_EQ(stamped[0].name, "maillog.20250103-235959.gz");
}

}  // namespace
}  // namespace bounce
