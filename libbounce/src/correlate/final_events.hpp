// FinalEvents: the final view of inputs without a correlator (provider event
// exports): the last record per (format, message, recipient), emitted in the
// order of first appearance.
//
// An export holds a message's events in any order and at any distance, so a
// (message, recipient) is kept open until the input ends, within the
// correlators' bound (OpenMessages): beyond `max_pairs` kept, the one seen
// first is emitted and forgotten (counted in evicted()), and an event of it
// that comes later starts a new record. As the evicted are the oldest,
// records still come out in order of first appearance.

#ifndef BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
#define BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "bounce/record.hpp"
#include "correlate/open_messages.hpp"

namespace bounce::correlate {

class FinalEvents {
  // What closing a pair does: emit its last record. (Defined first: its type
  // is deduced.)
  auto emit_last() {
    return [this](const OwnedRecord& last) { emit_(last.get()); };
  }

 public:
  FinalEvents(std::size_t max_pairs, std::function<void(const Record&)> emit)
      : open_(max_pairs), emit_(std::move(emit)) {}

  /// Keeps `r` (a copy) as the latest of its (format, message, recipient).
  void add(const Record& r) {
    // The format is part of the message's identity: a mixed file may hold
    // two providers' messages under one id.
    message_.assign(to_string(r.format)).push_back('\x1f');
    message_.append(r.message_key);
    open_.open(message_, r.recipient, emit_last()).assign(r);
  }

  /// Emits every kept record, in order of first appearance, and forgets them.
  void finish() { open_.close_all(emit_last()); }

  /// Pairs emitted early by the bound.
  std::uint64_t evicted() const noexcept { return open_.evicted(); }

 private:
  OpenMessages<OwnedRecord> open_;  // by (format + message, recipient)
  std::function<void(const Record&)> emit_;
  std::string message_;  // the identity's first part, built per event
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_FINAL_EVENTS_HPP_
