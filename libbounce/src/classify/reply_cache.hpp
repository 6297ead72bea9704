// A bounded, thread-safe map from a classification key to its verdict.
//
// Sharded by hash so that threads classifying different replies rarely touch
// the same mutex. A full shard is cleared rather than evicted entry by entry:
// replies repeat in bursts, so the working set is rebuilt within a few lookups
// and the cost stays one hash and one uncontended lock per call.

#ifndef BOUNCE_SRC_CLASSIFY_REPLY_CACHE_HPP_
#define BOUNCE_SRC_CLASSIFY_REPLY_CACHE_HPP_

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "bounce/classifier.hpp"

namespace bounce {

class ReplyCache {
 public:
  explicit ReplyCache(std::size_t capacity) : shard_capacity_(capacity / kShards + 1) {}

  std::optional<Classification> find(const std::string& key, std::size_t hash) const {
    Shard& shard = shards_[hash % kShards];
    std::lock_guard lock(shard.mutex);
    const auto it = shard.map.find(key);
    if (it == shard.map.end()) return std::nullopt;
    return it->second;
  }

  void insert(std::string key, std::size_t hash, const Classification& value) const {
    Shard& shard = shards_[hash % kShards];
    std::lock_guard lock(shard.mutex);
    if (shard.map.size() >= shard_capacity_) shard.map.clear();
    shard.map.emplace(std::move(key), value);
  }

 private:
  static constexpr std::size_t kShards = 16;
  // A cache line each: two threads locking neighbouring shards otherwise
  // take the line holding both mutexes from each other's core.
  struct alignas(64) Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Classification> map;
  };
  std::size_t shard_capacity_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace bounce

#endif  // BOUNCE_SRC_CLASSIFY_REPLY_CACHE_HPP_
