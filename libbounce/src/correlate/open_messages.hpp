// The messages a correlator holds open, keyed by (host, queue id), in the
// order they were first seen. Bounded: opening one more than max_open closes
// the oldest first. Used where the log has no reliable end-of-message line
// (Exim's `Completed` can be missing from a cut log; Sendmail has none).

#ifndef BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_
#define BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bounce::correlate {

template <typename Message>
class OpenMessages {
 public:
  explicit OpenMessages(std::size_t max_open) : max_open_(max_open ? max_open : 1) {}

  static std::string key(std::string_view host, std::string_view id) {
    std::string k(host);
    k.push_back('\0');
    k.append(id);
    return k;
  }

  Message* find(std::string_view host, std::string_view id) {
    const auto it = open_.find(key(host, id));
    return it == open_.end() ? nullptr : &it->second.message;
  }

  /// The open message, created (default-constructed) when new. Creating one
  /// beyond max_open first passes the oldest to close(message) and drops it.
  template <typename Close>
  Message& open(std::string_view host, std::string_view id, Close&& close) {
    std::string k = key(host, id);
    if (const auto it = open_.find(k); it != open_.end()) return it->second.message;
    while (open_.size() >= max_open_ && !order_.empty()) {
      const auto [seq, oldest] = std::move(order_.front());
      order_.pop_front();
      const auto old = open_.find(oldest);
      if (old == open_.end() || old->second.seq != seq) continue;  // closed already
      ++evicted_;
      close(old->second.message);
      open_.erase(old);
    }
    if (order_.size() > 2 * open_.size() + 1024) compact();
    const std::uint64_t seq = next_seq_++;
    order_.emplace_back(seq, k);
    return open_.try_emplace(std::move(k), Entry{seq, Message{}}).first->second.message;
  }

  /// Closes one message (no-op when it is not open).
  template <typename Close>
  void close(std::string_view host, std::string_view id, Close&& close) {
    const auto it = open_.find(key(host, id));
    if (it == open_.end()) return;
    close(it->second.message);
    open_.erase(it);
  }

  /// Closes every open message, oldest first.
  template <typename Close>
  void close_all(Close&& close) {
    std::vector<std::pair<std::uint64_t, Message*>> all;
    all.reserve(open_.size());
    for (auto& [k, e] : open_) all.emplace_back(e.seq, &e.message);
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [seq, m] : all) close(*m);
    open_.clear();
    order_.clear();
  }

  std::size_t size() const noexcept { return open_.size(); }

  /// Messages closed because the table was full.
  std::uint64_t evicted() const noexcept { return evicted_; }

 private:
  // Drops the order entries of messages closed since (a log whose messages
  // all close normally would otherwise grow the queue without bound).
  void compact() {
    std::erase_if(order_, [this](const auto& entry) {
      const auto it = open_.find(entry.second);
      return it == open_.end() || it->second.seq != entry.first;
    });
  }

  struct Entry {
    std::uint64_t seq;
    Message message;
  };
  std::size_t max_open_;
  std::unordered_map<std::string, Entry> open_;
  std::deque<std::pair<std::uint64_t, std::string>> order_;
  std::uint64_t next_seq_ = 0, evicted_ = 0;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_OPEN_MESSAGES_HPP_
