// bounce_throughput: whole-file throughput of the parser on one file, beside
// a memchr newline count of the same bytes in the same process (the practical
// ceiling), so that the ratio survives a noisy, shared machine.
//
//   bounce_throughput FILE [--threads N] [--repeat K] [--year Y]
//
// Prints one row per measurement: MB/s, lines/s and the ratio to the newline
// scan; each is the best of K runs (default 3). Records are consumed (counted,
// and a field read) so that nothing is optimised away.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>

#include "arrow_batch.hpp"
#include "bounce/reader.hpp"
#include "bounce/report.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double best_of(int k, const std::function<void()>& f) {
  double best = 1e300;
  for (int i = 0; i < k; ++i) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

long peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bounce_throughput FILE [--threads N] [--repeat K] [--year Y]\n");
    return 2;
  }
  const std::string path = argv[1];
  unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  int repeat = 3, year = 2025;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads")
      threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    else if (a == "--repeat")
      repeat = std::atoi(argv[i + 1]);
    else if (a == "--year")
      year = std::atoi(argv[i + 1]);
  }
  const int fd = open(path.c_str(), O_RDONLY);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0) {
    std::perror(path.c_str());
    return 1;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  const char* data = static_cast<const char*>(mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
  close(fd);
  const double mb = static_cast<double>(size) / 1e6;

  std::size_t lines = 0;
  const double scan = best_of(repeat, [&] {
    lines = 0;
    for (const char* p = data;
         (p = static_cast<const char*>(std::memchr(p, '\n', data + size - p))); ++p)
      ++lines;
  });
  std::printf("file %s: %.1f MB, %zu lines\n", path.c_str(), mb, lines);
  std::printf("%-34s %10s %12s %10s %8s\n", "run", "MB/s", "lines/s", "records", "vs scan");
  auto row = [&](const char* name, double secs, std::uint64_t records) {
    std::printf("%-34s %10.0f %12.0f %10llu %7.1fx\n", name, mb / secs,
                static_cast<double>(lines) / secs, static_cast<unsigned long long>(records),
                secs / scan);
  };
  row("memchr newline count", scan, 0);

  const bounce::InputSource input = bounce::InputSource::file(path);
  for (const auto& [name, view, t] :
       {std::tuple{"parse+classify attempts, 1 thread", bounce::View::attempts, 1u},
        std::tuple{"parse+classify attempts, N threads", bounce::View::attempts, threads},
        std::tuple{"parse+classify final, 1 thread", bounce::View::final, 1u}}) {
    bounce::ReaderOptions o;
    o.view = view;
    o.threads = t;
    o.year = year;
    std::uint64_t records = 0, checksum = 0;
    const double secs = best_of(repeat, [&] {
      bounce::Reader reader(o);
      records = 0;
      reader.read(std::span(&input, 1), [&](const bounce::Record& r) {
        ++records;
        checksum += static_cast<std::uint64_t>(r.classification.reason) + r.recipient.size();
      });
    });
    std::string label = name;
    if (t > 1) label += " (" + std::to_string(t) + ")";
    row(label.c_str(), secs, records);
    if (checksum == 42) std::puts("");  // keep the consumer observable
  }
  {
    // What libbounce.read_log does before pandas: records into Arrow batches.
    bounce::ReaderOptions o;
    o.view = bounce::View::attempts;
    o.year = year;
    std::uint64_t records = 0;
    std::size_t batches = 0;
    const double secs = best_of(repeat, [&] {
      bounce::python::RecordBatchBuilder builder;
      std::vector<std::shared_ptr<bounce::python::RecordBatchBuilder::Batch>> out;
      records = bounce::Reader(o)
                    .read(std::span(&input, 1),
                          [&](const bounce::Record& r) {
                            builder.append(r);
                            if (builder.rows() >= 65536) out.push_back(builder.finish());
                          })
                    .records;
      out.push_back(builder.finish());
      batches = out.size();
    });
    row("parse+classify+Arrow, 1 thread", secs, records);
    if (batches == 0) std::puts("");
  }
  {
    bounce::ReaderOptions o;
    o.year = year;
    std::size_t findings = 0;
    std::uint64_t records = 0;
    const double secs = best_of(repeat, [&] {
      bounce::Aggregate agg;
      records = bounce::Reader(o)
                    .read(std::span(&input, 1), [&](const bounce::Record& r) { agg.add(r); })
                    .records;
      findings = bounce::diagnose(agg).findings.size();
    });
    row("parse+classify+report, 1 thread", secs, records);
    if (findings == 12345) std::puts("");
  }
  std::printf("peak RSS %ld MB (this process maps the whole file for the scan)\n", peak_rss_mb());
  return 0;
}
