// bounce_throughput: whole-file throughput of the parser on one file, beside
// a memchr newline count of the same bytes in the same process (the practical
// ceiling), so that the ratio survives a noisy, shared machine.
//
//   bounce_throughput FILE [--threads N] [--repeat K] [--year Y]
//
// Prints one row per measurement: MB/s, lines/s, the time relative to the
// newline scan and the speed relative to the 1-thread parse; each is the best
// of K rounds (default 3) taken round-robin over the rows. Records are consumed
// (a field read) so that nothing is optimised away.

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

  // Every run is a row; the repeats go round the rows (not K in a row) so that
  // a machine whose speed drifts affects every row alike. Each row keeps its
  // best time.
  struct Run {
    std::string name;
    std::function<std::uint64_t()> once;  // returns records (lines for the scan)
    double best = 1e300;
    std::uint64_t count = 0;
  };
  std::vector<Run> runs;
  runs.push_back({"memchr newline count", [&]() -> std::uint64_t {
                    std::uint64_t n = 0;
                    for (const char* p = data;
                         (p = static_cast<const char*>(std::memchr(p, '\n', data + size - p))); ++p)
                      ++n;
                    return n;
                  }});
  const bounce::InputSource input = bounce::InputSource::file(path);
  std::uint64_t checksum = 0;  // keeps the consumers observable
  const auto parse = [&](bounce::View view, unsigned t) {
    return [&, view, t]() -> std::uint64_t {
      bounce::ReaderOptions o;
      o.view = view;
      o.threads = t;
      o.year = year;
      return bounce::Reader(o)
          .read(std::span(&input, 1),
                [&](const bounce::Record& r) {
                  checksum +=
                      static_cast<std::uint64_t>(r.classification.reason) + r.recipient.size();
                })
          .records;
    };
  };
  runs.push_back({"parse+classify attempts, 1 thread", parse(bounce::View::attempts, 1)});
  runs.push_back({"parse+classify attempts, " + std::to_string(threads) + " threads",
                  parse(bounce::View::attempts, threads)});
  runs.push_back({"parse+classify final, 1 thread", parse(bounce::View::final, 1)});
  // What libbounce.read_log does before pandas: records into Arrow batches.
  runs.push_back({"parse+classify+Arrow, 1 thread", [&]() -> std::uint64_t {
                    bounce::ReaderOptions o;
                    o.year = year;
                    bounce::python::RecordBatchBuilder builder;
                    std::vector<std::shared_ptr<bounce::python::RecordBatchBuilder::Batch>> out;
                    const std::uint64_t records = bounce::Reader(o)
                                                      .read(std::span(&input, 1),
                                                            [&](const bounce::Record& r) {
                                                              builder.append(r);
                                                              if (builder.rows() >= 65536)
                                                                out.push_back(builder.finish());
                                                            })
                                                      .records;
                    out.push_back(builder.finish());
                    checksum += out.size();
                    return records;
                  }});
  runs.push_back({"parse+classify+report, 1 thread", [&]() -> std::uint64_t {
                    bounce::ReaderOptions o;
                    o.year = year;
                    bounce::Aggregate agg;
                    const std::uint64_t records =
                        bounce::Reader(o)
                            .read(std::span(&input, 1),
                                  [&](const bounce::Record& r) { agg.add(r); })
                            .records;
                    checksum += bounce::diagnose(agg).findings.size();
                    return records;
                  }});

  for (int k = 0; k < repeat; ++k)
    for (Run& run : runs) {
      const auto t0 = Clock::now();
      run.count = run.once();
      run.best = std::min(run.best, std::chrono::duration<double>(Clock::now() - t0).count());
    }

  const double scan = runs[0].best;
  const auto lines = static_cast<double>(runs[0].count);
  std::printf("file %s: %.1f MB, %.0f lines, best of %d rounds\n", path.c_str(), mb, lines, repeat);
  std::printf("%-38s %8s %12s %10s %8s %8s\n", "run", "MB/s", "lines/s", "records", "vs scan",
              "vs 1st");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    std::printf("%-38s %8.0f %12.0f %10llu %7.1fx", r.name.c_str(), mb / r.best, lines / r.best,
                static_cast<unsigned long long>(i == 0 ? 0 : r.count), r.best / scan);
    if (i == 0)
      std::printf(" %8s\n", "-");
    else
      std::printf(" %7.2fx\n", runs[1].best / r.best);
  }
  if (checksum == 42) std::puts("");
  std::printf("peak RSS %ld MB (this process maps the whole file for the scan)\n", peak_rss_mb());
  return 0;
}
