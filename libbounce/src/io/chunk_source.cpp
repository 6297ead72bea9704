// The ChunkSource implementations: memory (and mapped files), and a streaming
// one over a byte decoder (plain read, gzip via zlib, zstd).

#include "chunk_source.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "bounce/error.hpp"

namespace bounce::io {
namespace {

std::string errno_text() { return std::strerror(errno); }

// Splits [data, data+size) at line ends: the shared logic of every source.
// Returns the length of the chunk starting at `pos` of about `target` bytes.
std::size_t chunk_length(std::string_view data, std::size_t pos, std::size_t target) {
  const std::size_t remaining = data.size() - pos;
  if (remaining <= target) return remaining;
  const std::size_t last_nl = data.rfind('\n', pos + target - 1);
  if (last_nl != std::string_view::npos && last_nl >= pos) return last_nl + 1 - pos;
  const std::size_t next_nl = data.find('\n', pos + target);  // a line longer than target
  return next_nl == std::string_view::npos ? remaining : next_nl + 1 - pos;
}

struct Mapping {
  void* addr = nullptr;
  std::size_t size = 0;
  std::uintptr_t released_to = 0;  // pages before this address were dropped
  ~Mapping() {
    if (addr) munmap(addr, size);
  }
};

// A chunk of a mapped file. When the reader is done with it and at least
// kReleaseBatch bytes have been read since the last release, the file's pages
// from where that release stopped (less a margin, for pages the kernel maps
// around the next faults) up to the chunk's end are dropped, so that reading
// a 10 GB file keeps about kReleaseBatch resident. Dropping only the pages
// wholly inside each chunk left up to 40% of a file resident (the
// AMappedFileDoesNotStayResident test). Dropping after every chunk cost 6% of
// a two-thread parse in system time: each drop makes the kernel flush the
// other threads' TLBs (an interrupt to each core). The mapping is private and
// never written: a page touched again is simply read back from the file.
struct MappedChunk {
  std::shared_ptr<Mapping> mapping;
  const char* begin;
  std::size_t size;
  MappedChunk(std::shared_ptr<Mapping> m, const char* b, std::size_t n)
      : mapping(std::move(m)), begin(b), size(n) {}
  // Never copied: a copy's destructor would drop the pages while in use.
  MappedChunk(const MappedChunk&) = delete;
  MappedChunk& operator=(const MappedChunk&) = delete;
  ~MappedChunk() {
    static const std::uintptr_t page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    constexpr std::uintptr_t kSlack = 1u << 20;  // well past any fault-around window
    constexpr std::uintptr_t kReleaseBatch = 16u << 20;
    const auto base = reinterpret_cast<std::uintptr_t>(mapping->addr);  // page-aligned
    const std::uintptr_t done = std::max(base, mapping->released_to);
    const std::uintptr_t last = (reinterpret_cast<std::uintptr_t>(begin) + size) & ~(page - 1);
    if (last < done + kReleaseBatch) return;
    const std::uintptr_t from = std::max(base, done - std::min(done, kSlack));
    madvise(reinterpret_cast<void*>(from), last - from, MADV_DONTNEED);
    mapping->released_to = std::max(mapping->released_to, last);
  }
};

// Bytes already in memory: a caller's buffer or a mapped file.
class MemorySource final : public ChunkSource {
 public:
  MemorySource(std::shared_ptr<Mapping> mapping, std::string_view data, std::int64_t mtime)
      : mapping_(std::move(mapping)), data_(data), mtime_(mtime) {}
  std::optional<Chunk> next(std::size_t target) override {
    if (pos_ >= data_.size()) return std::nullopt;
    const std::size_t n = chunk_length(data_, pos_, target);
    Chunk c{nullptr, data_.substr(pos_, n)};
    if (mapping_) c.owner = std::make_shared<MappedChunk>(mapping_, c.text.data(), n);
    pos_ += n;
    return c;
  }
  std::uint64_t consumed() const override { return pos_; }
  std::uint64_t total() const override { return data_.size(); }
  std::int64_t mtime() const override { return mtime_; }

 private:
  std::shared_ptr<Mapping> mapping_;  // null for a caller's buffer
  std::string_view data_;
  std::size_t pos_ = 0;
  std::int64_t mtime_;
};

// A byte stream: read() fills up to n bytes, returns 0 at the end.
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::size_t read(char* out, std::size_t n) = 0;
};

class FdReader {
 public:
  FdReader(int fd, std::string name, bool owns) : fd_(fd), name_(std::move(name)), owns_(owns) {}
  ~FdReader() {
    if (owns_) ::close(fd_);
  }
  std::size_t read(char* out, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd_, out, n);
      if (got >= 0) {
        consumed_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno != EINTR) throw InputError(name_ + ": read error: " + errno_text());
    }
  }
  std::uint64_t consumed() const { return consumed_; }
  const std::string& name() const { return name_; }

 private:
  int fd_;
  std::string name_;
  bool owns_;
  std::uint64_t consumed_ = 0;
};

// Input bytes with the first few (read for detection) put back in front.
class RawDecoder : public Decoder {
 public:
  RawDecoder(FdReader& in, std::string head) : in_(in), head_(std::move(head)) {}
  std::size_t read(char* out, std::size_t n) override {
    if (head_pos_ < head_.size()) {
      const std::size_t k = std::min(n, head_.size() - head_pos_);
      std::memcpy(out, head_.data() + head_pos_, k);
      head_pos_ += k;
      return k;
    }
    return in_.read(out, n);
  }

 private:
  FdReader& in_;
  std::string head_;
  std::size_t head_pos_ = 0;
};

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder(FdReader& in, std::string head) : raw_(in, std::move(head)), name_(in.name()) {
    std::memset(&z_, 0, sizeof z_);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) throw InputError(name_ + ": cannot start gzip decoder");
    buf_.resize(1 << 16);
  }
  ~GzipDecoder() override { inflateEnd(&z_); }
  std::size_t read(char* out, std::size_t n) override {
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = static_cast<uInt>(n);
    while (z_.avail_out == n && !done_) {
      if (z_.avail_in == 0) {
        const std::size_t got = raw_.read(buf_.data(), buf_.size());
        if (got == 0) {
          if (in_member_) throw InputError(name_ + ": truncated gzip stream");
          done_ = true;
          break;
        }
        z_.next_in = reinterpret_cast<Bytef*>(buf_.data());
        z_.avail_in = static_cast<uInt>(got);
      }
      in_member_ = true;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&z_);  // concatenated members (gzip -c a >> b) continue
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw InputError(name_ + ": corrupt gzip data (" + (z_.msg ? z_.msg : "error") + ")");
      }
    }
    return n - z_.avail_out;
  }

 private:
  RawDecoder raw_;
  std::string name_;
  z_stream z_;
  std::vector<char> buf_;
  bool done_ = false, in_member_ = false;
};

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder(FdReader& in, std::string head) : raw_(in, std::move(head)), name_(in.name()) {
    ds_ = ZSTD_createDStream();
    if (!ds_) throw InputError(name_ + ": cannot start zstd decoder");
    ZSTD_initDStream(ds_);
    buf_.resize(ZSTD_DStreamInSize());
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(ds_); }
  std::size_t read(char* out, std::size_t n) override {
    ZSTD_outBuffer o{out, n, 0};
    while (o.pos == 0 && !done_) {
      if (in_.pos == in_.size) {
        const std::size_t got = raw_.read(buf_.data(), buf_.size());
        if (got == 0) {
          if (pending_) throw InputError(name_ + ": truncated zstd stream");
          done_ = true;
          break;
        }
        in_ = ZSTD_inBuffer{buf_.data(), got, 0};
      }
      const std::size_t rc = ZSTD_decompressStream(ds_, &o, &in_);
      if (ZSTD_isError(rc))
        throw InputError(name_ + ": corrupt zstd data (" + ZSTD_getErrorName(rc) + ")");
      pending_ = rc != 0;
    }
    return o.pos;
  }

 private:
  RawDecoder raw_;
  std::string name_;
  ZSTD_DStream* ds_ = nullptr;
  std::vector<char> buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool done_ = false, pending_ = false;
};

// Chunks from a decoder: fills a fresh buffer per chunk, carrying a partial
// last line over into the next one.
class StreamSource final : public ChunkSource {
 public:
  // max_ratio: the expansion limit for compressed input (0 = none).
  StreamSource(std::unique_ptr<FdReader> in, std::unique_ptr<Decoder> dec, std::uint64_t total,
               std::int64_t mtime, std::uint32_t max_ratio)
      : in_(std::move(in)),
        dec_(std::move(dec)),
        total_(total),
        mtime_(mtime),
        max_ratio_(max_ratio) {}

  std::optional<Chunk> next(std::size_t target) override {
    if (eof_ && carry_.empty()) return std::nullopt;
    auto buf = std::make_shared<std::string>(std::move(carry_));
    carry_.clear();
    std::size_t filled = buf->size();
    buf->resize(std::max(target, filled) + 1);
    // Fill to the target; past it, keep reading only until a line ends.
    while (!eof_) {
      if (filled == buf->size()) buf->resize(buf->size() * 2);
      const std::size_t got = dec_->read(buf->data() + filled, buf->size() - filled);
      if (got == 0) {
        eof_ = true;
        break;
      }
      const std::size_t before = filled;
      filled += got;
      produced_ += got;
      check_expansion();
      if (filled >= target && std::memchr(buf->data() + before, '\n', got)) break;
    }
    std::string_view text(buf->data(), filled);
    if (!eof_) {  // hold back the partial last line
      const std::size_t nl = text.rfind('\n');
      if (nl != std::string_view::npos && nl + 1 < filled) {
        carry_.assign(text.substr(nl + 1));
        text = text.substr(0, nl + 1);
      }
    }
    if (text.empty()) return std::nullopt;
    return Chunk{buf, text};
  }
  std::uint64_t consumed() const override { return in_->consumed(); }
  std::uint64_t total() const override { return total_; }
  std::int64_t mtime() const override { return mtime_; }

 private:
  void check_expansion() const {
    if (max_ratio_ == 0) return;
    const std::uint64_t limit = in_->consumed() * max_ratio_ + kExpansionAllowance;
    if (produced_ > limit)
      throw InputError(in_->name() + ": decompressed output exceeds " + std::to_string(max_ratio_) +
                       " times the compressed input (" + std::to_string(produced_) +
                       " bytes from " + std::to_string(in_->consumed()) +
                       "): refusing a likely decompression bomb; raise the limit "
                       "(--max-expansion, ReaderOptions::max_expansion_ratio) if the file is "
                       "genuine");
  }

  std::unique_ptr<FdReader> in_;
  std::unique_ptr<Decoder> dec_;
  std::uint64_t total_;
  std::int64_t mtime_;
  std::uint32_t max_ratio_;
  std::uint64_t produced_ = 0;
  std::string carry_;
  bool eof_ = false;
};

std::unique_ptr<ChunkSource> open_stream(std::unique_ptr<FdReader> in, std::uint64_t total,
                                         std::int64_t mtime, std::uint32_t max_ratio) {
  std::string head(4, '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    const std::size_t n = in->read(head.data() + got, head.size() - got);
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  std::unique_ptr<Decoder> dec;
  switch (detect_compression(head)) {
    case Compression::gzip:
      dec = std::make_unique<GzipDecoder>(*in, head);
      break;
    case Compression::zstd:
      dec = std::make_unique<ZstdDecoder>(*in, head);
      break;
    case Compression::none:
      dec = std::make_unique<RawDecoder>(*in, head);
      max_ratio = 0;  // plain bytes cannot expand
      break;
  }
  return std::make_unique<StreamSource>(std::move(in), std::move(dec), total, mtime, max_ratio);
}

}  // namespace

Compression detect_compression(std::string_view b) noexcept {
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0x1f &&
      static_cast<unsigned char>(b[1]) == 0x8b)
    return Compression::gzip;
  if (b.size() >= 4 && static_cast<unsigned char>(b[0]) == 0x28 &&
      static_cast<unsigned char>(b[1]) == 0xb5 && static_cast<unsigned char>(b[2]) == 0x2f &&
      static_cast<unsigned char>(b[3]) == 0xfd)
    return Compression::zstd;
  return Compression::none;
}

std::unique_ptr<ChunkSource> ChunkSource::open(const InputSource& input,
                                               std::uint32_t max_expansion_ratio) {
  if (input.kind == InputSource::Kind::standard_input)
    return open_stream(std::make_unique<FdReader>(0, std::string("<stdin>"), false), 0, -1,
                       max_expansion_ratio);
  if (input.kind == InputSource::Kind::memory) {
    if (detect_compression(input.bytes) == Compression::none)
      return std::make_unique<MemorySource>(nullptr, input.bytes, -1);
    // Compressed bytes in memory: stream them through an anonymous memory file.
    const int fd = memfd_create("libbounce-input", MFD_CLOEXEC);
    if (fd < 0) throw InputError(input.name + ": cannot buffer compressed input");
    std::size_t off = 0;
    while (off < input.bytes.size()) {
      const ssize_t n = ::write(fd, input.bytes.data() + off, input.bytes.size() - off);
      if (n <= 0) {
        ::close(fd);
        throw InputError(input.name + ": cannot buffer compressed input");
      }
      off += static_cast<std::size_t>(n);
    }
    ::lseek(fd, 0, SEEK_SET);
    return open_stream(std::make_unique<FdReader>(fd, input.name, true), input.bytes.size(), -1,
                       max_expansion_ratio);
  }

  const int fd = ::open(input.name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(input.name + ": cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    throw InputError(input.name + ": cannot stat: " + errno_text());
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw InputError(input.name + ": is a directory, not a log file");
  }
  const std::int64_t mtime = st.st_mtime;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (S_ISREG(st.st_mode) && size >= 4) {
    char magic[4];
    const ssize_t got = ::pread(fd, magic, sizeof magic, 0);
    if (got == 4 && detect_compression(std::string_view(magic, 4)) == Compression::none) {
      void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      ::close(fd);
      if (addr == MAP_FAILED) throw InputError(input.name + ": cannot map: " + errno_text());
      ::madvise(addr, size, MADV_SEQUENTIAL);
      auto mapping = std::make_shared<Mapping>();
      mapping->addr = addr;
      mapping->size = size;
      return std::make_unique<MemorySource>(
          mapping, std::string_view(static_cast<const char*>(addr), size), mtime);
    }
  }
  // Compressed, tiny, or not a regular file (a FIFO): stream it.
  return open_stream(std::make_unique<FdReader>(fd, input.name, true), size, mtime,
                     max_expansion_ratio);
}

}  // namespace bounce::io
