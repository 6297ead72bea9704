// StringArena: copies of many short strings in a few large blocks, freed all
// at once. For batches of records that outlive their input line (the
// parallel provider reader's chunks): one allocation per block instead of
// one per record, and no free per record.

#ifndef BOUNCE_SRC_STRING_ARENA_HPP_
#define BOUNCE_SRC_STRING_ARENA_HPP_

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace bounce {

class StringArena {
 public:
  /// A copy of `s` that stays valid until clear() or destruction (a block
  /// never moves). Cost: a memcpy, and now and then a block allocation.
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    if (s.size() > room_) next_block(s.size());
    char* out = blocks_[used_ - 1].data.get() + (blocks_[used_ - 1].size - room_);
    std::memcpy(out, s.data(), s.size());
    room_ -= s.size();
    return {out, s.size()};
  }

  /// Forgets every copy; the blocks are kept for reuse.
  void clear() noexcept {
    used_ = 0;
    room_ = 0;
  }

 private:
  static constexpr std::size_t kBlockSize = 256 * 1024;
  struct Block {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };

  void next_block(std::size_t need) {
    // A reused block that is too small for an oversized string is replaced.
    if (used_ == blocks_.size()) blocks_.push_back({});
    Block& b = blocks_[used_++];
    const std::size_t size = need > kBlockSize ? need : kBlockSize;
    if (!b.data || b.size < size) b = Block{std::make_unique_for_overwrite<char[]>(size), size};
    room_ = b.size;
  }

  std::vector<Block> blocks_;
  std::size_t used_ = 0;  // blocks in use; the last one is being filled
  std::size_t room_ = 0;  // bytes left in the last block in use
};

}  // namespace bounce

#endif  // BOUNCE_SRC_STRING_ARENA_HPP_
