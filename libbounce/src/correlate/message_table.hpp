// The open messages of a correlator, found by (host, queue id): a flat
// open-addressing index over reusable slots.
//
// Why not std::unordered_map<std::string, Message>: on a busy log every line
// looks a message up and every message is opened and closed once, so the map
// built a key string and hashed it per line and allocated a node (and the
// message's strings) per message. Here the key is hashed once per line, the
// index is one array probed linearly, and a closed message's slot (with the
// capacity of its strings and vectors) serves the next message, so a steady
// log allocates nothing per message.
//
// Slots are addressed by index; an index, and the message's address, stay
// valid until the message is erased (the slots live in a deque, which never
// moves them). The table also keeps the order the messages were opened in,
// for the correlators' count bound (close the oldest) and their end of input
// (close all, oldest first).

#ifndef BOUNCE_SRC_CORRELATE_MESSAGE_TABLE_HPP_
#define BOUNCE_SRC_CORRELATE_MESSAGE_TABLE_HPP_

#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "text_util.hpp"

namespace bounce::correlate {

/// Empties `index[hole]` of a linear-probing index (capacity mask + 1) by
/// backward-shift deletion: the later entries of its probe run move into the
/// hole unless their home bucket lies cyclically after it, so the index needs
/// no tombstones. `empty(bucket)` and `home(bucket)` read a bucket.
template <class Bucket, class Empty, class Home>
void backward_shift_erase(std::vector<Bucket>& index, std::size_t mask, std::size_t hole,
                          Empty&& empty, Home&& home) noexcept {
  for (std::size_t next = (hole + 1) & mask; !empty(index[next]); next = (next + 1) & mask) {
    const std::size_t h = home(index[next]) & mask;
    const bool stays = hole <= next ? (hole < h && h <= next) : (hole < h || h <= next);
    if (stays) continue;
    index[hole] = index[next];
    hole = next;
  }
  index[hole] = Bucket{};
}

/// `Message` needs `host` and `key` strings (the identity) and `reset()`,
/// which empties it for reuse while keeping its capacity.
template <class Message>
class MessageTable {
 public:
  static constexpr std::uint32_t npos = ~std::uint32_t{0};

  static std::uint64_t hash(std::string_view host, std::string_view key) noexcept {
    return hash_text(key, hash_text(host));
  }

  /// The slot of the open message (host, key), or npos.
  std::uint32_t find(std::string_view host, std::string_view key, std::uint64_t h) const noexcept {
    if (index_.empty()) return npos;
    for (std::size_t b = h & mask_;; b = (b + 1) & mask_) {
      const Bucket& e = index_[b];
      if (e.slot == npos) return npos;
      if (e.hash == static_cast<std::uint32_t>(h)) {
        const Slot& s = slots_[e.slot];
        if (same_text(s.message.key, key) && same_text(s.message.host, host)) return e.slot;
      }
    }
  }

  /// Opens (host, key), which must not be open: a reset slot with its
  /// identity set and the next sequence number.
  std::uint32_t insert(std::string_view host, std::string_view key, std::uint64_t h) {
    if ((size_ + 1) * 2 > index_.size()) grow();
    std::uint32_t slot;
    if (!free_.empty()) {  // a closed message's slot: emptied for reuse
      slot = free_.back();
      free_.pop_back();
      slots_[slot].message.reset();
    } else {  // a new slot, empty as constructed
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    Slot& s = slots_[slot];
    s.message.host.assign(host);
    s.message.key.assign(key);
    s.hash = h;
    s.seq = next_seq_++;
    s.open = true;
    place(slot, h);
    ++size_;
    // The age queue keeps (seq, slot) of every opened message; entries of
    // closed ones are dropped in one pass once they outnumber the open ones,
    // so it stays within about twice the open messages at an amortised O(1).
    by_age_.push_back(Aged{s.seq, slot});
    if (by_age_.size() > 2 * size_ + 64)
      std::erase_if(by_age_, [this](const Aged& a) { return !holds(a.slot, a.seq); });
    return slot;
  }

  /// Closes the message in `slot`; its slot is reused by a later insert.
  void erase(std::uint32_t slot) noexcept {
    Slot& s = slots_[slot];
    std::size_t hole = s.hash & mask_;
    while (index_[hole].slot != slot) hole = (hole + 1) & mask_;
    backward_shift_erase(
        index_, mask_, hole, [](const Bucket& b) { return b.slot == npos; },
        [this](const Bucket& b) { return slots_[b.slot].hash; });
    s.open = false;
    free_.push_back(slot);
    --size_;
  }

  Message& operator[](std::uint32_t slot) noexcept { return slots_[slot].message; }
  const Message& operator[](std::uint32_t slot) const noexcept { return slots_[slot].message; }
  std::size_t size() const noexcept { return size_; }

  /// The slot of the open message opened first, or npos when none is open.
  std::uint32_t oldest() noexcept {
    for (; !by_age_.empty(); by_age_.pop_front())
      if (holds(by_age_.front().slot, by_age_.front().seq)) return by_age_.front().slot;
    return npos;
  }

  /// The slots of the open messages, in the order they were opened.
  std::vector<std::uint32_t> oldest_first() const {
    std::vector<std::uint32_t> open;
    open.reserve(size_);
    for (const Aged& a : by_age_)
      if (holds(a.slot, a.seq)) open.push_back(a.slot);
    return open;
  }

 private:
  struct Slot {
    Message message;
    std::uint64_t hash = 0;
    std::uint64_t seq = 0;
    bool open = false;
  };
  struct Bucket {
    std::uint32_t slot = npos;
    std::uint32_t hash = 0;  // the low bits of the slot's hash: most mismatches end here
  };
  struct Aged {
    std::uint64_t seq;  // numbers the messages as opened: tells a reused slot
    std::uint32_t slot;
  };

  bool holds(std::uint32_t slot, std::uint64_t seq) const noexcept {
    return slots_[slot].open && slots_[slot].seq == seq;
  }

  void place(std::uint32_t slot, std::uint64_t h) noexcept {
    std::size_t b = h & mask_;
    while (index_[b].slot != npos) b = (b + 1) & mask_;
    index_[b] = Bucket{slot, static_cast<std::uint32_t>(h)};
  }

  void grow() {
    const std::size_t capacity = index_.empty() ? 1024 : index_.size() * 2;
    index_.assign(capacity, Bucket{});
    mask_ = capacity - 1;
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].open) place(i, slots_[i].hash);
  }

  std::deque<Slot> slots_;
  std::deque<Aged> by_age_;  ///< oldest first; may hold entries of closed messages
  std::vector<std::uint32_t> free_;
  std::vector<Bucket> index_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_MESSAGE_TABLE_HPP_
