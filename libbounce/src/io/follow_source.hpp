// Follow mode (`tail -F` for the Reader): chunks of a log file that is still
// being written. At the end of the file the source waits for more lines, and
// it stays with the log through the two ways logs are rotated:
//
//  - rename and create (logrotate's default, syslog daemons): the old file is
//    read to its end through the open descriptor, and the source moves to the
//    new file once the writer has started writing there (so lines written to
//    the old file between the rename and the writer's reopen are not lost);
//  - copytruncate: the file shrinks (or is rewritten from its start). Lines
//    written after the last read but before the copy are read from the copy
//    (`FILE.1`, found by matching the bytes read last), then the truncated
//    file from its start.
//
// A line is handed over once its '\n' arrives; a last line without one is
// handed over when the file is rotated away or following stops.

#ifndef BOUNCE_SRC_IO_FOLLOW_SOURCE_HPP_
#define BOUNCE_SRC_IO_FOLLOW_SOURCE_HPP_

#include <chrono>
#include <functional>
#include <string>

#include "io/chunk_source.hpp"

namespace bounce::io {

class FollowSource final : public ChunkSource {
 public:
  /// Opens `path` (a plain, uncompressed log). `keep_following` is asked at
  /// the end of the data each time; when it says false, the source ends.
  /// Throws InputError when the file cannot be opened or is compressed.
  FollowSource(std::string path, std::chrono::milliseconds poll,
               std::function<bool()> keep_following);
  ~FollowSource() override;
  FollowSource(const FollowSource&) = delete;
  FollowSource& operator=(const FollowSource&) = delete;

  /// Blocks until a complete line is there (or following stops).
  std::optional<Chunk> next(std::size_t target) override;
  std::uint64_t consumed() const override { return consumed_; }
  std::uint64_t total() const override { return 0; }  // unknown: the file grows
  std::int64_t mtime() const override { return mtime_; }

  /// Rotations seen so far, for statistics and tests.
  std::uint64_t renames() const noexcept { return renames_; }
  std::uint64_t truncations() const noexcept { return truncations_; }

 private:
  // Appends what the current file has beyond offset_ (up to `limit` bytes).
  std::size_t read_more(std::string& buf, std::size_t limit);
  bool changed_since(const std::string& tail, std::uint64_t offset) const;
  bool replaced_by_new_file() const;
  void recover_from_copy(std::string& buf);
  void restart_after_truncation();
  void end_partial_line();
  void remember_tail(std::string_view bytes);

  std::string path_;
  std::chrono::milliseconds poll_;
  std::function<bool()> keep_following_;
  int fd_ = -1;
  std::uint64_t offset_ = 0;    // bytes read from the current file
  std::uint64_t consumed_ = 0;  // bytes read in all
  std::int64_t mtime_ = -1;
  std::string carry_;  // a partial last line
  std::string tail_;   // the last bytes read, to recognise the file later
  std::uint64_t renames_ = 0, truncations_ = 0;
};

}  // namespace bounce::io

#endif  // BOUNCE_SRC_IO_FOLLOW_SOURCE_HPP_
