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

#include <cstdint>
#include <string>
#include <string_view>
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
    while (table_.size() >= max_open_) {
      const std::uint32_t oldest = table_.oldest();
      ++evicted_;
      close(table_[oldest].message);
      table_.erase(oldest);
    }
    const std::uint32_t slot = table_.insert(host, id, h);
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
    const std::vector<std::uint32_t> all = table_.oldest_first();
    for (const std::uint32_t slot : all) close(table_[slot].message);
    for (const std::uint32_t slot : all) table_.erase(slot);
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
  std::uint64_t evicted_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_
