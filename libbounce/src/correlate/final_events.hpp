// FinalEvents: the final view of inputs without a correlator (provider event
// exports): the last record per (format, message, recipient), emitted in the
// order of first appearance once the input ends.
//
// An export holds a message's events in any order and at any distance, so
// every (message, recipient) is kept until the end: memory grows with the
// distinct pairs (about one record each). Lookups go through MessageTable's
// flat index: no key string or map node is allocated per event.

#ifndef BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
#define BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_

#include <string>

#include "bounce/record.hpp"
#include "message_table.hpp"

namespace bounce::correlate {

class FinalEvents {
 public:
  /// Keeps `r` (a copy) as the latest of its (format, message, recipient).
  void add(const Record& r) {
    // The format is part of the message's identity: a mixed file may hold
    // two providers' messages under one id.
    message_.assign(to_string(r.format)).push_back('\x1f');
    message_.append(r.message_key);
    const std::uint64_t h = Table::hash(message_, r.recipient);
    std::uint32_t slot = table_.find(message_, r.recipient, h);
    if (slot == Table::npos) slot = table_.insert(message_, r.recipient, h);
    table_[slot].last.assign(r);
  }

  /// Calls emit(const Record&) on each kept record, in order of first appearance.
  template <class Emit>
  void emit_all(Emit&& emit) const {
    for (const std::uint32_t slot : table_.oldest_first()) emit(table_[slot].last.get());
  }

 private:
  struct Entry {
    std::string host, key;  // MessageTable's identity: (format + message, recipient)
    OwnedRecord last;
    void reset() noexcept {}  // every entry is written once opened
  };
  using Table = MessageTable<Entry>;

  Table table_;
  std::string message_;  // the identity's first part, built per event
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
