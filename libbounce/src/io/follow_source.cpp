// FollowSource: a growing, rotating log file as chunks of whole lines.

#include "io/follow_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include "bounce/error.hpp"

namespace bounce::io {
namespace {

// The last bytes read, kept to recognise the file later: several lines, so
// that timestamps and ids tell one stretch of log from another (line endings
// alone are often identical).
constexpr std::size_t kTailBytes = 4096;

std::string errno_text() { return std::strerror(errno); }

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

// Reads exactly `n` bytes at `offset`, or returns false.
bool read_at(int fd, std::string& out, std::size_t n, std::uint64_t offset) {
  out.resize(n);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t k = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    got += static_cast<std::size_t>(k);
  }
  return true;
}

}  // namespace

FollowSource::FollowSource(std::string path, std::chrono::milliseconds poll,
                           std::function<bool()> keep_following)
    : path_(std::move(path)), poll_(poll), keep_following_(std::move(keep_following)) {
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path_ + ": cannot open: " + errno_text());
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd_);
    throw InputError(path_ + ": cannot follow: not a regular file");
  }
  mtime_ = st.st_mtime;
  std::string magic;
  if (read_at(fd_, magic, 4, 0) && detect_compression(magic) != Compression::none) {
    ::close(fd_);
    throw InputError(path_ + ": cannot follow a compressed file; follow the live log instead");
  }
}

FollowSource::~FollowSource() {
  if (fd_ >= 0) ::close(fd_);
}

void FollowSource::remember_tail(std::string_view bytes) {
  if (bytes.size() >= kTailBytes) {
    tail_.assign(bytes.substr(bytes.size() - kTailBytes));
    return;
  }
  tail_.append(bytes);
  if (tail_.size() > kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
}

std::size_t FollowSource::read_more(std::string& buf, std::size_t limit) {
  std::size_t total = 0;
  while (total < limit) {
    const std::size_t old = buf.size();
    buf.resize(old + std::min<std::size_t>(limit - total, 1u << 20));
    const ssize_t n = ::read(fd_, buf.data() + old, buf.size() - old);
    if (n < 0) {
      buf.resize(old);
      if (errno == EINTR) continue;
      throw InputError(path_ + ": read error: " + errno_text());
    }
    buf.resize(old + static_cast<std::size_t>(n));
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
    offset_ += static_cast<std::uint64_t>(n);
    consumed_ += static_cast<std::uint64_t>(n);
    remember_tail(std::string_view(buf).substr(old));
  }
  return total;
}

// Shorter than `offset`, or different just before it from `tail` (the bytes
// read last): truncated, and perhaps already written again from the start.
bool FollowSource::changed_since(const std::string& tail, std::uint64_t offset) const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return false;
  if (static_cast<std::uint64_t>(st.st_size) < offset) return true;
  std::string now;
  return !tail.empty() && read_at(fd_, now, tail.size(), offset - tail.size()) && now != tail;
}

// The path names another file, and the writer has started on it.
bool FollowSource::replaced_by_new_file() const {
  struct stat mine {
  }, named{};
  if (::fstat(fd_, &mine) != 0 || ::stat(path_.c_str(), &named) != 0) return false;
  return !same_file(mine, named) && named.st_size > 0;
}

// copytruncate copies FILE to FILE.1, then truncates FILE: what was written
// after our last read is in the copy, past our offset. The copy is the one
// whose bytes before that offset are the ones we read last.
void FollowSource::recover_from_copy(std::string& buf) {
  const std::string copy_path = path_ + ".1";
  const int fd = ::open(copy_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string check;
  if (!tail_.empty() && read_at(fd, check, tail_.size(), offset_ - tail_.size()) &&
      check == tail_) {
    char block[1 << 16];
    for (std::uint64_t at = offset_;;) {
      const ssize_t n = ::pread(fd, block, sizeof block, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      buf.append(block, static_cast<std::size_t>(n));
      at += static_cast<std::uint64_t>(n);
      consumed_ += static_cast<std::uint64_t>(n);
    }
  }
  ::close(fd);
}

void FollowSource::restart_after_truncation() {
  ++truncations_;
  recover_from_copy(carry_);
  end_partial_line();
  ::lseek(fd_, 0, SEEK_SET);
  offset_ = 0;
  tail_.clear();
}

// The file changes: a partial last line will never be completed.
void FollowSource::end_partial_line() {
  if (!carry_.empty() && carry_.back() != '\n') carry_.push_back('\n');
}

std::optional<Chunk> FollowSource::next(std::size_t target) {
  for (;;) {
    auto buf = std::make_shared<std::string>(std::move(carry_));
    carry_.clear();
    const std::size_t kept = buf->size();
    const std::uint64_t start = offset_;
    const std::string tail_before = tail_;
    const std::size_t got = read_more(*buf, std::max<std::size_t>(target, 4096));
    // Truncated before or while we read: what was read may be the new start
    // of the file at our old offset. Drop it, and restart from the copy.
    if (changed_since(tail_before, start)) {
      buf->resize(kept);
      consumed_ -= got;
      offset_ = start;
      tail_ = tail_before;
      carry_ = std::move(*buf);
      restart_after_truncation();
      continue;
    }
    const std::size_t nl = buf->rfind('\n');
    if (nl != std::string::npos) {
      carry_.assign(*buf, nl + 1);
      buf->resize(nl + 1);
      return Chunk{buf, *buf};
    }
    carry_ = std::move(*buf);
    if (got > 0) continue;  // a line longer than the target: read on

    // At the end of the data: rotated away, or simply no more yet?
    if (replaced_by_new_file()) {
      if (read_more(carry_, std::max<std::size_t>(target, 4096)) > 0) continue;  // last words
      const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        ++renames_;
        ::close(fd_);
        fd_ = fd;
        offset_ = 0;
        tail_.clear();
        end_partial_line();
        continue;
      }
    }
    if (keep_following_ && !keep_following_()) {
      if (carry_.empty()) return std::nullopt;
      auto last = std::make_shared<std::string>(std::move(carry_));
      carry_.clear();
      return Chunk{last, *last};
    }
    std::this_thread::sleep_for(poll_);
  }
}

}  // namespace bounce::io
