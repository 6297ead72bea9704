// The messages a correlator holds open, keyed by (host, queue id), in the
// order they were first seen. Bounded: opening one more than max_open closes
// the oldest first. Used where the log has no reliable end-of-message line
// (Exim's `Completed` can be missing from a cut log; Sendmail has none).
//
// Built on MessageTable (one hash per lookup, no node or key string allocated
// per message); a message stays at one address until it is closed. A closed
// message's slot serves a later one: `Message::reset()`, when it has one,
// empties it for that keeping its capacity; otherwise it is reassigned.

#ifndef BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_
#define BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "correlate/message_table.hpp"

namespace bounce::correlate {

template <typename Message>
class OpenMessages {
 public:
  explicit OpenMessages(std::size_t max_open) : max_open_(max_open ? max_open : 1) {}

  Message* find(std::string_view host, std::string_view id) {
    const std::uint32_t slot = table_.find(host, id, Table::hash(host, id));
    return slot == Table::npos ? nullptr : &table_[slot].message;
  }

  /// The open message, created (default-constructed) when new. Creating one
  /// beyond max_open first passes the oldest to close(message) and drops it.
  template <typename Close>
  Message& open(std::string_view host, std::string_view id, Close&& close) {
    const std::uint64_t h = Table::hash(host, id);
    if (const std::uint32_t slot = table_.find(host, id, h); slot != Table::npos)
      return table_[slot].message;
    while (table_.size() >= max_open_ && !by_age_.empty()) {
      const auto [seq, oldest] = by_age_.front();
      by_age_.pop_front();
      if (!table_.holds(oldest, seq)) continue;  // closed already
      ++evicted_;
      close(table_[oldest].message);
      table_.erase(oldest);
    }
    // Drop the age entries of messages closed since (a log whose messages
    // all close normally would otherwise grow the queue without bound).
    if (by_age_.size() > 2 * table_.size() + 1024)
      std::erase_if(by_age_, [this](const auto& e) { return !table_.holds(e.second, e.first); });
    const std::uint32_t slot = table_.insert(host, id, h);
    by_age_.emplace_back(table_.seq(slot), slot);
    return table_[slot].message;
  }

  /// Closes one message (no-op when it is not open).
  template <typename Close>
  void close(std::string_view host, std::string_view id, Close&& close) {
    const std::uint32_t slot = table_.find(host, id, Table::hash(host, id));
    if (slot == Table::npos) return;
    close(table_[slot].message);
    table_.erase(slot);
  }

  /// Closes every open message, oldest first.
  template <typename Close>
  void close_all(Close&& close) {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> all;
    all.reserve(table_.size());
    table_.for_each([&](std::uint32_t slot) { all.emplace_back(table_.seq(slot), slot); });
    std::sort(all.begin(), all.end());
    for (const auto& [seq, slot] : all) close(table_[slot].message);
    for (const auto& [seq, slot] : all) table_.erase(slot);
    by_age_.clear();
  }

  std::size_t size() const noexcept { return table_.size(); }

  /// Messages closed because the table was full.
  std::uint64_t evicted() const noexcept { return evicted_; }

 private:
  struct Entry {
    std::string host, key;  // the identity MessageTable matches
    Message message;
    void reset() {
      if constexpr (requires { message.reset(); })
        message.reset();  // keeps the capacity of its strings
      else
        message = Message{};
    }
  };
  using Table = MessageTable<Entry>;

  std::size_t max_open_;
  Table table_;
  std::deque<std::pair<std::uint64_t, std::uint32_t>> by_age_;  ///< (seq, slot), oldest first
  std::uint64_t evicted_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_
