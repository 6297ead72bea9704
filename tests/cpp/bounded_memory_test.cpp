// Bounded memory: logs of millions of messages that never complete (no
// `removed`, no `Completed`) stream through a FIFO into the Reader. The
// correlator must stay under its open-message bound, count every eviction,
// still emit each message's record, and the process's peak memory must not
// grow with the input. A separate executable: its peak RSS is its own, and
// it is too slow for the sanitizer build.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "bounce/reader.hpp"
#include "log_generator.hpp"

namespace bounce {
namespace {

// Peak resident memory of this process so far, in MiB (VmHWM).
double PeakRssMiB() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      double kib = 0;
      status >> kib;
      return kib / 1024;
    }
    status.ignore(1 << 12, '\n');
  }
  return 0;
}

// Writes `messages` messages, made by `message(i, out)`, into a FIFO that the
// reader reads as a file: the log is never held in memory as a whole.
struct FifoLog {
  std::string path;
  std::thread writer;

  FifoLog(std::uint64_t messages, std::function<void(std::uint64_t, std::string&)> message) {
    path = (std::filesystem::temp_directory_path() /
            ("libbounce-bounded-" + std::to_string(::getpid()) + ".log"))
               .string();
    std::filesystem::remove(path);
    if (::mkfifo(path.c_str(), 0600) != 0) throw std::runtime_error("mkfifo failed");
    writer = std::thread([this, messages, message = std::move(message)] {
      std::FILE* f = std::fopen(path.c_str(), "w");
      if (!f) return;
      std::string buf;
      for (std::uint64_t i = 0; i < messages; ++i) {
        message(i, buf);
        if (buf.size() > (1u << 20)) {
          std::fwrite(buf.data(), 1, buf.size(), f);
          buf.clear();
        }
      }
      std::fwrite(buf.data(), 1, buf.size(), f);
      std::fclose(f);
    });
  }
  ~FifoLog() {
    writer.join();
    std::filesystem::remove(path);
  }
};

// Appends one printf-formatted line (under 512 bytes) to `out`.
__attribute__((format(printf, 2, 3))) void AppendLine(std::string& out, const char* format, ...) {
  char line[512];
  std::va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(line, sizeof line, format, args);
  va_end(args);
  if (n > 0) out.append(line, std::min(static_cast<std::size_t>(n), sizeof line - 1));
}

struct BoundedRun {
  ParseStats stats;
  std::uint64_t deferred = 0;
  double peak_early = 0, peak_end = 0;
};

BoundedRun ReadBounded(const FifoLog& log, Format format, std::size_t bound,
                       std::uint64_t messages) {
  ReaderOptions o;
  o.format = format;
  o.view = View::final;
  o.year = 2025;
  o.max_open_messages = bound;
  BoundedRun out;
  Reader reader(o);
  std::uint64_t seen = 0;
  out.stats = reader.read_file(log.path, [&](const Record& r) {
    out.deferred += r.outcome == Outcome::deferred;
    if (++seen == messages / 5) out.peak_early = PeakRssMiB();
  });
  out.peak_end = PeakRssMiB();
  return out;
}

void ExpectBounded(const BoundedRun& got, std::uint64_t messages, std::size_t bound,
                   std::uint64_t lines_per_message) {
  EXPECT_EQ(got.stats.lines, messages * lines_per_message);
  EXPECT_EQ(got.stats.unparsed, 0u);
  EXPECT_EQ(got.stats.lines, got.stats.parsed + got.stats.ignored + got.stats.unparsed);
  // Everything beyond the bound was evicted, and every message still gave its record.
  EXPECT_EQ(got.stats.evicted_messages, messages - bound);
  EXPECT_EQ(got.stats.records, messages);
  EXPECT_EQ(got.deferred, messages);
  // Memory: the last 80% of the input added (almost) nothing to the peak.
  EXPECT_GT(got.peak_early, 0);
  EXPECT_LT(got.peak_end - got.peak_early, 48.0)
      << "peak RSS grew from " << got.peak_early << " MiB to " << got.peak_end << " MiB";
  std::printf(
      "[ bounded  ] %llu messages, bound %zu: %llu evicted, peak RSS %.0f MiB at 20%%, "
      "%.0f MiB at the end\n",
      static_cast<unsigned long long>(messages), bound,
      static_cast<unsigned long long>(got.stats.evicted_messages), got.peak_early, got.peak_end);
}

TEST(BoundedMemory, TenMillionPostfixMessagesThatNeverComplete) {
  constexpr std::uint64_t kMessages = 10'000'000;
  constexpr std::size_t kBound = 100'000;
  const FifoLog log(kMessages, [&](std::uint64_t i, std::string& out) {
    const unsigned long long n = i, qid = 0x10000000000ull + n;
    AppendLine(out,
               "Jan  6 08:%02llu:%02llu mail postfix/qmgr[812]: %011llX: "
               "from=<news@example.com>, size=4711, nrcpt=1 (queue active)\n",
               n / 60 % 60, n % 60, qid);
    AppendLine(out,
               "Jan  6 08:%02llu:%02llu mail postfix/smtp[901]: %011llX: "
               "to=<user%llu@example.net>, relay=mx.example.net[192.0.2.9]:25, "
               "delay=1.2, delays=0.1/0/0.6/0.5, dsn=4.2.2, status=deferred "
               "(host mx.example.net[192.0.2.9] said: 452 4.2.2 Mailbox full "
               "(in reply to RCPT TO command))\n",
               n / 60 % 60, n % 60, qid, n);
  });
  ExpectBounded(ReadBounded(log, Format::postfix, kBound, kMessages), kMessages, kBound, 2);
}

TEST(BoundedMemory, EximMessagesThatNeverComplete) {
  constexpr std::uint64_t kMessages = 1'000'000;
  constexpr std::size_t kBound = 10'000;
  const FifoLog log(kMessages, [&](std::uint64_t i, std::string& out) {
    // Exim ids: base-62 time, pid, sub-second part; unique per message here.
    const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char id[] = "1rR9Xg-000000-A0";
    std::uint64_t n = i;
    for (int k = 12; k >= 7; --k, n /= 62) id[k] = digits[n % 62];
    AppendLine(out,
               "2024-01-24 08:00:33 %s <= news@example.com H=app1.example.com "
               "[192.0.2.25] P=esmtp S=4711\n",
               id);
    AppendLine(out,
               "2024-01-24 08:00:34 %s == user%llu@example.net R=dnslookup "
               "T=remote_smtp defer (60): Operation timed out\n",
               id, static_cast<unsigned long long>(i));
  });
  ExpectBounded(ReadBounded(log, Format::exim, kBound, kMessages), kMessages, kBound, 2);
}

TEST(BoundedMemory, SendmailMessagesThatNeverComplete) {
  constexpr std::uint64_t kMessages = 1'000'000;
  constexpr std::size_t kBound = 10'000;
  const FifoLog log(kMessages, [&](std::uint64_t i, std::string& out) {
    const unsigned long long n = i;
    AppendLine(out,
               "Jan 25 10:31:00 web1 sendmail[21990]: 40PAV%07llu: "
               "from=<news@example.com>, size=1842, class=0, nrcpts=1, "
               "relay=localhost [127.0.0.1]\n",
               n);
    AppendLine(out,
               "Jan 25 10:31:01 web1 sendmail[21990]: 40PAV%07llu: "
               "to=<user%llu@example.org>, delay=00:00:01, mailer=esmtp, "
               "pri=30412, relay=mx.example.org. [192.0.2.8], dsn=4.0.0, "
               "stat=Deferred: Connection refused by mx.example.org.\n",
               n, n);
  });
  ExpectBounded(ReadBounded(log, Format::sendmail, kBound, kMessages), kMessages, kBound, 2);
}

// Provider events in the final view keep one record per (message, recipient)
// for its last event, within the same bound.
TEST(BoundedMemory, ProviderEventsOfMessagesThatNeverComplete) {
  constexpr std::uint64_t kMessages = 1'000'000;
  constexpr std::size_t kBound = 10'000;
  const FifoLog log(kMessages, [&](std::uint64_t i, std::string& out) {
    const unsigned long long n = i;
    AppendLine(out,
               R"({"event":"deferred","email":"user%llu@example.org",)"
               R"("timestamp":1758261601,"sg_message_id":"m%llu.filter0001",)"
               R"("response":"451 4.7.1 Please try again later","attempt":"1"})"
               "\n",
               n, n);
  });
  ExpectBounded(ReadBounded(log, Format::sendgrid, kBound, kMessages), kMessages, kBound, 1);
}

// The resident part of the file mapping named `path` in this process, in MiB.
double MappedRssMiB(const std::string& path) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in_mapping = false;
  while (std::getline(smaps, line)) {
    if (!line.empty() && line.find(' ') != std::string::npos && line.find('-') < line.find(' '))
      in_mapping = line.size() >= path.size() && line.ends_with(path);
    else if (in_mapping && line.rfind("Rss:", 0) == 0)
      return std::stod(line.substr(4)) / 1024;
  }
  return 0;
}

// A mapped file's pages are dropped as its chunks are done with (every 16 MiB
// read), including those the kernel maps again around the next chunk's first
// fault (which used to stay resident: ~35 MB more per GB read).
TEST(BoundedMemory, AMappedFileDoesNotStayResident) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("libbounce-mapped-" + std::to_string(::getpid()) + ".log"))
                               .string();
  {
    corpus::LogGenerator::Options g;
    g.bytes = 256u << 20;
    std::ofstream out(path, std::ios::binary);
    corpus::LogGenerator(g).run([&](std::string_view chunk) { out << chunk; });
  }
  ReaderOptions o;
  o.year = 2025;
  o.chunk_size = 1u << 20;
  double peak = 0;
  std::uint64_t records = 0;
  Reader(o).read_file(path, [&](const Record&) {
    if (++records % 20000 == 0) peak = std::max(peak, MappedRssMiB(path));
  });
  std::filesystem::remove(path);
  EXPECT_GT(records, 100000u);
  EXPECT_LT(peak, 20.0) << "MiB of the 256 MiB file resident while reading 1 MiB chunks";
}

}  // namespace
}  // namespace bounce
