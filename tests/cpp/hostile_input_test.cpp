// Hostile input: garbage, NUL bytes, invalid UTF-8, a 100 MB line, broken and
// bombing compressed streams, empty files, paths that are not readable logs,
// mixed and wrongly named formats. Each must end in a clear InputError (file
// and what was wrong) or in counted lines; never a crash, a hang or a record
// lost without a count.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using testing_util::Gzip;
using testing_util::ReadAll;
using testing_util::ReadResult;
using testing_util::ReadSourceFile;
using testing_util::Zstd;

constexpr const char* kDelivery =
    "Jan  6 08:39:50 mail postfix/smtp[2]: 1A2B3C4D5E: to=<b@example.org>, "
    "relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, "
    "status=bounced (host mx.example.org[192.0.2.7] said: 550 5.1.1 <b@example.org>: "
    "Recipient address rejected: User unknown (in reply to RCPT TO command))\n";

ReaderOptions Postfix2025() {
  ReaderOptions o;
  o.year = 2025;
  return o;
}

void ExpectAccounted(const ParseStats& s) { EXPECT_EQ(s.lines, s.parsed + s.ignored + s.unparsed); }

// The message of the InputError `read` throws, or "" when it does not throw.
std::string InputErrorOf(const std::vector<InputSource>& inputs, ReaderOptions options = {}) {
  try {
    ReadAll(inputs, std::move(options));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("libbounce-hostile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const std::string p = (path_ / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(HostileInput, BinaryGarbageIsRefusedOrCountedNeverCrashes) {
  std::mt19937 rng(7);
  std::string garbage(1 << 20, '\0');
  for (char& c : garbage) c = static_cast<char>(rng());
  const std::uint64_t newlines = std::count(garbage.begin(), garbage.end(), '\n');
  // Auto-detection refuses it, naming the input.
  EXPECT_NE(InputErrorOf({InputSource::memory("garbage.bin", garbage)})
                .find("garbage.bin: cannot recognise the format"),
            std::string::npos);
  // Forced, every line is counted and none is a record.
  for (Format f : {Format::postfix, Format::exim, Format::sendmail, Format::exchange}) {
    ReaderOptions o = Postfix2025();
    o.format = f;
    const ReadResult r = ReadAll({InputSource::memory("garbage.bin", garbage)}, o);
    ExpectAccounted(r.stats);
    EXPECT_EQ(r.stats.lines, newlines + 1) << to_string(f);  // the last line has no '\n'
    EXPECT_GT(r.stats.unparsed, 0u) << to_string(f);
    EXPECT_TRUE(r.jsonl.empty()) << to_string(f);
  }
}

TEST(HostileInput, NulBytesInsideALineAreKeptAndEscaped) {
  std::string line = kDelivery;
  line.insert(line.find("User unknown"), std::string("\0\0", 2));
  const std::string log = line + std::string(40, '\0') + "\n";
  const ReadResult r = ReadAll({InputSource::memory("nul.log", log)}, Postfix2025());
  EXPECT_EQ(r.stats.lines, 2u);
  EXPECT_EQ(r.stats.parsed, 1u);
  EXPECT_EQ(r.stats.unparsed, 1u);  // a line of NULs is junk, counted
  ASSERT_EQ(r.jsonl.size(), 1u);
  EXPECT_NE(r.jsonl[0].find("\\u0000\\u0000User unknown"), std::string::npos) << r.jsonl[0];
}

TEST(HostileInput, InvalidUtf8StaysValidJsonOutput) {
  std::string line = kDelivery;
  line.insert(line.find("User unknown"), "\xff\xfe\xc3(");
  const ReadResult r = ReadAll({InputSource::memory("utf8.log", line)}, Postfix2025());
  ASSERT_EQ(r.jsonl.size(), 1u);
  const std::string& json = r.jsonl[0];
  // Every byte of the output is ASCII or part of a well-formed UTF-8 sequence.
  for (std::size_t i = 0; i < json.size();) {
    const auto c = static_cast<unsigned char>(json[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    ASSERT_NE(n, 0u) << "invalid lead byte at " << i << ": " << json;
    for (std::size_t k = 1; k < n; ++k)
      ASSERT_EQ(static_cast<unsigned char>(json[i + k]) >> 6, 2) << json;
    i += n;
  }
  EXPECT_NE(json.find("\"reason\":\"user_unknown\""), std::string::npos) << json;
}

TEST(HostileInput, AHundredMegabyteLineIsOneCountedLine) {
  std::string log = kDelivery;
  log += "Jan  6 08:39:51 mail postfix/smtp[2]: 1A2B3C4D5E: to=<";
  log.append(100u << 20, 'x');
  log += ">\n";
  log += kDelivery;
  for (Format f : {Format::postfix, Format::exim, Format::sendmail, Format::exchange}) {
    ReaderOptions o = Postfix2025();
    o.format = f;
    const ReadResult r = ReadAll({InputSource::memory("long.log", log)}, o);
    ExpectAccounted(r.stats);
    EXPECT_EQ(r.stats.lines, 3u) << to_string(f);
    EXPECT_EQ(r.stats.bytes, log.size()) << to_string(f);
    if (f == Format::postfix) {
      EXPECT_EQ(r.stats.unparsed, 1u);
      EXPECT_EQ(r.jsonl.size(), 2u);
    }
  }
  // Through the streaming (decompressing) path as well; 100 MB of one byte
  // compresses ~1000x, so the expansion limit must be lifted for it.
  const std::string gz = Gzip(log);
  EXPECT_NE(InputErrorOf({InputSource::memory("long.log.gz", gz)}, Postfix2025())
                .find("decompression bomb"),
            std::string::npos);
  ReaderOptions unlimited = Postfix2025();
  unlimited.max_expansion_ratio = 0;
  const ReadResult r = ReadAll({InputSource::memory("long.log.gz", gz)}, unlimited);
  EXPECT_EQ(r.stats.lines, 3u);
  EXPECT_EQ(r.stats.unparsed, 1u);
  EXPECT_EQ(r.jsonl.size(), 2u);
}

TEST(HostileInput, TruncatedAndCorruptCompressedInputNameTheFile) {
  std::string log;
  for (int i = 0; i < 2000; ++i) log += kDelivery;
  const std::string gz = Gzip(log), zst = Zstd(log);
  EXPECT_NE(InputErrorOf({InputSource::memory("cut.gz", gz.substr(0, gz.size() / 2))})
                .find("cut.gz: truncated gzip stream"),
            std::string::npos);
  EXPECT_NE(InputErrorOf({InputSource::memory("cut.zst", zst.substr(0, zst.size() / 2))})
                .find("cut.zst: truncated zstd stream"),
            std::string::npos);
  std::string bad_gz = gz, bad_zst = zst;
  for (std::size_t i = 20; i < 60; ++i) bad_gz[i] = static_cast<char>(bad_gz[i] ^ 0x5a);
  for (std::size_t i = 20; i < 60; ++i) bad_zst[i] = static_cast<char>(bad_zst[i] ^ 0x5a);
  EXPECT_NE(InputErrorOf({InputSource::memory("bad.gz", bad_gz)}).find("bad.gz: corrupt gzip"),
            std::string::npos);
  EXPECT_NE(InputErrorOf({InputSource::memory("bad.zst", bad_zst)}).find("bad.zst: corrupt zstd"),
            std::string::npos);
}

TEST(HostileInput, DecompressionBombsStopAtTheExpansionLimit) {
  // 1 MiB of zeros compresses to ~1 KB; 256 concatenated members (valid gzip)
  // expand to 256 MiB, 1000x their size. zstd does the same in one frame.
  const std::string member = Gzip(std::string(1u << 20, '\0'));
  std::string gz_bomb;
  for (int i = 0; i < 256; ++i) gz_bomb += member;
  const std::string zst_bomb = Zstd(std::string(256u << 20, '\0'));
  for (const auto& [name, bytes] :
       {std::pair{"bomb.gz", gz_bomb}, std::pair{"bomb.zst", zst_bomb}}) {
    const std::string error = InputErrorOf({InputSource::memory(name, bytes)});
    EXPECT_NE(error.find(std::string(name) + ": decompressed output exceeds 200 times"),
              std::string::npos)
        << error;
  }
  // A genuine log far below the limit reads whatever its compression.
  std::string log;
  for (int i = 0; i < 2000; ++i) log += kDelivery;
  ReaderOptions strict_limit = Postfix2025();
  strict_limit.max_expansion_ratio = 50;
  EXPECT_EQ(ReadAll({InputSource::memory("ok.gz", Gzip(log))}, strict_limit).jsonl.size(), 2000u);
}

TEST(HostileInput, EmptyInputsHaveNoLinesAndNoError) {
  for (const auto& [name, bytes] :
       {std::pair{"empty.log", std::string()}, std::pair{"empty.gz", Gzip("")},
        std::pair{"empty.zst", Zstd("")}}) {
    const ReadResult r = ReadAll({InputSource::memory(name, bytes)}, {});
    EXPECT_EQ(r.stats.lines, 0u) << name;
    EXPECT_TRUE(r.jsonl.empty()) << name;
  }
  const ReadResult blank = ReadAll({InputSource::memory("blank.log", "\n\r\n\n")}, {});
  EXPECT_EQ(blank.stats.lines, 3u);
  EXPECT_EQ(blank.stats.ignored, 3u);
}

TEST(HostileInput, PathsThatAreNotReadableLogs) {
  const TempDir dir;
  EXPECT_NE(InputErrorOf({InputSource::file(dir.path())}).find(": is a directory, not a log file"),
            std::string::npos);
  EXPECT_NE(InputErrorOf({InputSource::file(dir.path() + "/missing.log")})
                .find("missing.log: cannot open: No such file or directory"),
            std::string::npos);
  const std::string file = dir.Write("mail.log", kDelivery);
  EXPECT_NE(InputErrorOf({InputSource::file(file + "/below-a-file")})
                .find("below-a-file: cannot open: Not a directory"),
            std::string::npos);
  if (::geteuid() != 0) {  // root reads anything: the permission check needs a user
    std::filesystem::permissions(file, std::filesystem::perms::none);
    EXPECT_NE(InputErrorOf({InputSource::file(file)}).find("cannot open: Permission denied"),
              std::string::npos);
  }
  // A bad path among good ones fails before any record is produced.
  std::size_t records = 0;
  Reader reader(Postfix2025());
  const std::vector<InputSource> inputs = {InputSource::file(file),
                                           InputSource::file(dir.path() + "/missing.log")};
  EXPECT_THROW(reader.read(inputs, [&](const Record&) { ++records; }), InputError);
  EXPECT_EQ(records, 0u);
}

TEST(HostileInput, MixedFormatsInOneFileAreCountedByProgram) {
  const std::string log =
      std::string(kDelivery) +
      "2024-01-15 10:00:01 1rPABC-000123-AB => x@example.net R=dnslookup T=remote_smtp\n" +
      "{\"eventType\":\"Bounce\",\"mail\":{}}\n" +
      "Jan  6 08:39:52 mail sendmail[99]: 41F2AbcD012345: to=<y@example.com>, stat=Sent\n" +
      "Jan  6 08:39:53 mail dovecot: imap(user): Logged out\n" + kDelivery;
  const ReadResult r = ReadAll({InputSource::memory("mixed.log", log)}, Postfix2025());
  ExpectAccounted(r.stats);
  EXPECT_EQ(r.stats.lines, 6u);
  EXPECT_EQ(r.stats.parsed, 2u);
  // Ignored: other programs' syslog lines, and the Exim line (it reads as a
  // timestamped line without a program tag: not Postfix). Unparsed: the JSON.
  EXPECT_EQ(r.stats.ignored, 3u);
  EXPECT_EQ(r.stats.unparsed, 1u);
  EXPECT_EQ(r.jsonl.size(), 2u);
  EXPECT_EQ(r.stats.by_program.at("sendmail").ignored, 1u);
}

// Auto-detection must not depend on the chunk size: a file that starts with a
// few Postfix lines and goes on in Exim is Exim whether the first chunk holds
// 4 KiB or 1 MiB (found by the reader fuzzer comparing thread counts).
TEST(HostileInput, DetectionDoesNotDependOnTheChunkSize) {
  std::string log;
  for (int i = 0; i < 40; ++i) log += kDelivery;
  for (int i = 0; i < 400; ++i)
    log += "2024-01-15 10:00:01 1rPABC-000123-AB => x" + std::to_string(i) +
           "@example.net R=dnslookup T=remote_smtp H=mx.example.net [192.0.2.5] C=\"250 OK\"\n";
  ASSERT_GT(log.find(" => "), 4096u);  // a first 4 KiB chunk holds no Exim line
  std::vector<std::string> first;
  for (const std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
    ReaderOptions o = Postfix2025();  // the format is detected
    o.chunk_size = chunk;
    const ReadResult r = ReadAll({InputSource::memory("mixed.log", log)}, o);
    ExpectAccounted(r.stats);
    EXPECT_EQ(r.stats.by_program.count("exim"), 1u) << "chunk " << chunk;
    if (first.empty())
      first = r.jsonl;
    else
      EXPECT_EQ(r.jsonl, first);
  }
  EXPECT_EQ(first.size(), 400u);
}

// Any format forced on any bundled sample: never a crash, lines accounted.
TEST(HostileInput, EveryWrongFormatOnEverySampleIsCounted) {
  const char* const samples[] = {"postfix/classic.log", "exim/mainlog",
                                 "sendmail/maillog",    "exchange/MSGTRK20240125-1.LOG",
                                 "ses/events.ndjson",   "sendgrid/webhook.json"};
  const Format formats[] = {Format::postfix,  Format::exim,     Format::sendmail,
                            Format::exchange, Format::ses,      Format::sendgrid,
                            Format::mailgun,  Format::postmark, Format::sparkpost};
  for (const char* sample : samples) {
    const std::string bytes = ReadSourceFile(std::string("corpus/samples/") + sample);
    for (Format f : formats) {
      ReaderOptions o = Postfix2025();
      o.format = f;
      const ReadResult r = ReadAll({InputSource::memory(sample, bytes)}, o);
      ExpectAccounted(r.stats);
      EXPECT_GT(r.stats.lines, 0u) << sample << " as " << to_string(f);
    }
  }
}

}  // namespace
}  // namespace bounce
