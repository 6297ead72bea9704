// FinalEvents: the final view of inputs without a correlator (provider event
// exports): the last record per (format, message, recipient), emitted in the
// order of first appearance.
//
// An export holds a message's events in any order and at any distance, so a
// (message, recipient) is kept until the input ends, within a bound: beyond
// `max_pairs` kept, the one seen first is emitted and forgotten (counted in
// evicted()), and an event of it that comes later starts a new record. As the
// evicted are the oldest, records still come out in order of first
// appearance. Lookups go through MessageTable's flat index: no key string or
// map node is allocated per event.

#ifndef BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
#define BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "bounce/record.hpp"
#include "message_table.hpp"

namespace bounce::correlate {

class FinalEvents {
 public:
  FinalEvents(std::size_t max_pairs, std::function<void(const Record&)> emit)
      : max_pairs_(max_pairs ? max_pairs : 1), emit_(std::move(emit)) {}

  /// Keeps `r` (a copy) as the latest of its (format, message, recipient).
  void add(const Record& r) {
    // The format is part of the message's identity: a mixed file may hold
    // two providers' messages under one id.
    message_.assign(to_string(r.format)).push_back('\x1f');
    message_.append(r.message_key);
    const std::uint64_t h = Table::hash(message_, r.recipient);
    std::uint32_t slot = table_.find(message_, r.recipient, h);
    if (slot == Table::npos) {
      if (table_.size() >= max_pairs_) evict_oldest();
      slot = table_.insert(message_, r.recipient, h);
    }
    table_[slot].last.assign(r);
  }

  /// Emits every kept record, in order of first appearance, and forgets them.
  void finish() {
    for (const std::uint32_t slot : table_.oldest_first()) {
      emit_(table_[slot].last.get());
      table_.erase(slot);
    }
  }

  /// Pairs emitted early by the bound.
  std::uint64_t evicted() const noexcept { return evicted_; }

 private:
  struct Entry {
    std::string host, key;  // MessageTable's identity: (format + message, recipient)
    OwnedRecord last;
    void reset() noexcept {}  // every entry is written once opened
  };
  using Table = MessageTable<Entry>;

  void evict_oldest() {
    const std::uint32_t oldest = table_.oldest();
    emit_(table_[oldest].last.get());
    table_.erase(oldest);
    ++evicted_;
  }

  std::size_t max_pairs_;
  std::function<void(const Record&)> emit_;
  Table table_;
  std::string message_;  // the identity's first part, built per event
  std::uint64_t evicted_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
