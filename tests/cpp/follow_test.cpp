// Follow mode with real files: a writer thread appends to a log and rotates
// it (rename-and-create, with late writes to the renamed file, then
// copytruncate with no pause for the reader) while the Reader follows it.
// Every line must come out exactly once, in order.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string DeliveryLine(int i) {
  char line[320];
  std::snprintf(line, sizeof line,
                "Jan  6 08:%02d:%02d mail postfix/smtp[901]: %010X: to=<u%d@example.net>, "
                "relay=mx.example.net[192.0.2.9]:25, delay=0.5, delays=0/0/0.2/0.3, dsn=2.0.0, "
                "status=sent (250 2.0.0 Ok: queued as 4D%06d)\n",
                i / 60 % 60, i % 60, 0x10000000 + i, i, i);
  return line;
}

class FollowTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("libbounce-follow-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    log_ = (dir_ / "mail.log").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  ReaderOptions FollowOptions(const std::atomic<bool>& done) {
    ReaderOptions o;
    o.year = 2025;
    o.follow = true;
    o.follow_poll = 5ms;
    o.keep_following = [&done] { return !done.load(); };
    return o;
  }

  fs::path dir_;
  std::string log_;
};

void Append(std::FILE* f, int from, int to, bool pause) {
  for (int i = from; i < to; ++i) {
    std::fputs(DeliveryLine(i).c_str(), f);
    std::fflush(f);
    if (pause && i % 50 == 0) std::this_thread::sleep_for(2ms);
  }
}

TEST_F(FollowTest, SurvivesRenameAndCopytruncateWithoutLossOrDuplicates) {
  constexpr int kLines = 4000;
  std::FILE* f = std::fopen(log_.c_str(), "a");
  ASSERT_NE(f, nullptr);
  Append(f, 0, 500, false);  // there before the reader starts
  std::atomic<bool> done{false};
  std::atomic<int> seen{0};
  std::thread writer([&] {
    // Rotation starts once the reader has the log open (building a Reader
    // takes a while in a sanitizer build; a follower started after a
    // rotation never sees the renamed file).
    for (int k = 0; k < 30000 && seen == 0; ++k) std::this_thread::sleep_for(1ms);
    Append(f, 500, 1000, true);
    // Rename and create: the daemon writes on to the renamed file until it
    // reopens the log (logrotate's postrotate HUP).
    fs::rename(log_, log_ + ".1");
    Append(f, 1000, 1200, true);
    std::fclose(f);
    f = std::fopen(log_.c_str(), "a");
    Append(f, 1200, 2500, true);
    // The reader must be on the new file before it is copytruncated (a reader
    // a whole rotation behind cannot know what the copy took); a sanitizer
    // build can be that slow.
    for (int k = 0; k < 30000 && seen < 1300; ++k) std::this_thread::sleep_for(1ms);
    // copytruncate, at once after a burst: the reader has not read the last
    // lines before the copy is taken and the file emptied.
    Append(f, 2500, 2600, false);
    fs::rename(log_ + ".1", log_ + ".2");
    fs::copy_file(log_, log_ + ".1");
    ASSERT_EQ(::truncate(log_.c_str(), 0), 0);
    Append(f, 2600, kLines, true);
    std::fclose(f);
    std::this_thread::sleep_for(50ms);
    done = true;
  });
  ReaderOptions o = FollowOptions(done);
  std::vector<std::string> recipients;
  Reader reader(o);
  const ParseStats stats = reader.read_file(log_, [&](const Record& r) {
    recipients.emplace_back(r.recipient);
    ++seen;
  });
  writer.join();
  EXPECT_EQ(stats.lines, static_cast<std::uint64_t>(kLines));
  EXPECT_EQ(stats.parsed, static_cast<std::uint64_t>(kLines));
  ASSERT_EQ(recipients.size(), static_cast<std::size_t>(kLines));
  for (int i = 0; i < kLines; ++i)
    ASSERT_EQ(recipients[i], "u" + std::to_string(i) + "@example.net") << "record " << i;
}

// Regression: a file truncated and written again to exactly the size already
// read, with lines that all end alike, was taken for unchanged (the check
// compared only the last 64 bytes) and the new lines were never read.
TEST_F(FollowTest, NoticesATruncationRewrittenToTheSameSize) {
  const auto line = [](int i) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "Jan  6 08:00:%02d mail postfix/smtp[901]: %010X: to=<u%03d@example.net>, "
                  "relay=none, delay=1, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n",
                  i % 60, 0x10000000 + i, i);
    return std::string(text);
  };
  const auto write = [&](int from, int to, const char* mode) {
    std::FILE* f = std::fopen(log_.c_str(), mode);
    for (int i = from; i < to; ++i) std::fputs(line(i).c_str(), f);
    std::fclose(f);
  };
  write(100, 200, "w");
  std::atomic<bool> done{false};
  std::atomic<int> seen{0};
  std::vector<std::string> recipients;
  std::thread rotate([&] {
    while (seen < 100) std::this_thread::sleep_for(1ms);
    fs::copy_file(log_, log_ + ".1");
    write(200, 300, "w");  // truncates, then the same number of bytes
    for (int k = 0; k < 2000 && seen < 200; ++k) std::this_thread::sleep_for(1ms);
    done = true;
  });
  Reader reader(FollowOptions(done));
  reader.read_file(log_, [&](const Record& r) {
    recipients.emplace_back(r.recipient);
    ++seen;
  });
  rotate.join();
  ASSERT_EQ(recipients.size(), 200u);
  EXPECT_EQ(recipients.back(), "u299@example.net");
}

TEST_F(FollowTest, ALastLineWithoutNewlineComesOutWhenFollowingStops) {
  std::ofstream(log_) << DeliveryLine(1) << DeliveryLine(2).substr(0, DeliveryLine(2).size() - 1);
  std::atomic<bool> done{true};
  std::vector<std::string> recipients;
  Reader reader(FollowOptions(done));
  const ParseStats stats =
      reader.read_file(log_, [&](const Record& r) { recipients.emplace_back(r.recipient); });
  EXPECT_EQ(stats.lines, 2u);
  EXPECT_EQ(recipients, (std::vector<std::string>{"u1@example.net", "u2@example.net"}));
}

TEST_F(FollowTest, RefusesWhatCannotBeFollowed) {
  std::atomic<bool> done{true};
  Reader reader(FollowOptions(done));
  const auto read = [&](const std::vector<InputSource>& inputs) {
    reader.read(inputs, [](const Record&) {});
  };
  std::ofstream(log_) << DeliveryLine(1);
  EXPECT_THROW(read({InputSource::file(log_), InputSource::file(log_)}), Error);
  EXPECT_THROW(read({InputSource::standard_input()}), Error);
  const std::string gz = (dir_ / "mail.log.2.gz").string();
  std::ofstream(gz, std::ios::binary) << testing_util::Gzip(DeliveryLine(1));
  try {
    read({InputSource::file(gz)});
    FAIL() << "a compressed file was followed";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot follow a compressed file"), std::string::npos);
  }
  const std::string json = (dir_ / "events.ndjson").string();
  std::ofstream(json) << R"({"eventType":"Delivery","mail":{"messageId":"x"}})" << '\n';
  EXPECT_THROW(read({InputSource::file(json)}), InputError);
}

}  // namespace
}  // namespace bounce
