// FinalEvents: the final view of inputs without a correlator (provider event
// exports): the last record per (format, message, recipient), emitted in the
// order of first appearance.
//
// An export holds a message's events in any order and at any distance, so a
// (message, recipient) is kept open until the input ends, within the
// correlators' bound: beyond `max_pairs` kept, the one seen first is emitted
// and forgotten (counted in evicted()), and an event of it that comes later
// starts a new record. As the evicted are the oldest, records still come out
// in order of first appearance.
//
// Nearly every pair of an export has one record, so keeping one costs what
// matters: the records lie in a deque in order of first appearance, their
// text in a StringArena (no allocation, and no free at the end, per pair),
// found through a flat open-addressing index of their numbers. A record that
// replaces an earlier one of its pair, or an emitted one, leaves its old text
// behind in the arena; when that is more than the text still kept, the kept
// text is copied into a fresh arena, so memory stays within about twice what
// the kept records hold.
#ifndef BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
#define BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "bounce/record.hpp"
#include "string_arena.hpp"

namespace bounce::correlate {

class FinalEvents {
 public:
  FinalEvents(std::size_t max_pairs, std::function<void(const Record&)> emit);

  /// Keeps `r` (a copy) as the latest of its (format, message, recipient).
  void add(const Record& r);
  /// Emits every kept record, in order of first appearance, and forgets them.
  void finish();
  /// Pairs emitted early by the bound.
  std::uint64_t evicted() const noexcept { return evicted_; }

 private:
  struct Kept {
    Record record;  // its views point into text_
    std::uint64_t hash;
    std::size_t text = 0;  // bytes of text_ it holds
  };
  // Open addressing, linear probing. A bucket holds the low bits of the
  // pair's hash, so that a probe touches a kept record (a cache miss, in a
  // large export) only when they match.
  struct Bucket {
    std::uint64_t number = 0;  // the pair's number + 1; 0: empty
    std::uint32_t hash = 0;
  };

  const Bucket* find(const Record& r, std::uint64_t hash) const;  // nullptr: not kept
  void place(std::uint64_t number, std::uint64_t hash);
  void grow();
  void emit_oldest();
  void keep_text(Kept& k);  // copies its record's text into text_
  void compact();

  std::size_t max_pairs_;
  std::function<void(const Record&)> emit_;
  std::deque<Kept> kept_;      // in order of first appearance
  std::uint64_t first_ = 0;    // the number of kept_.front(); numbers count pairs as opened
  std::vector<Bucket> index_;  // see Bucket
  std::size_t mask_ = 0;
  StringArena text_;
  std::size_t text_bytes_ = 0, kept_bytes_ = 0;  // copied into text_; of them still kept
  std::uint64_t evicted_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
