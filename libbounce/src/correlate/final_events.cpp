// FinalEvents; see final_events.hpp.

#include "correlate/final_events.hpp"

#include <utility>

#include "correlate/message_table.hpp"
#include "record_views.hpp"
#include "text_util.hpp"

namespace bounce::correlate {
namespace {

// Below this much text, old copies are left in the arena (a small export
// never compacts).
constexpr std::size_t kCompactSlack = 4u << 20;

std::uint64_t identity_hash(const Record& r) noexcept {
  return hash_text(r.recipient, hash_text(r.message_key, static_cast<std::uint64_t>(r.format)));
}

}  // namespace

FinalEvents::FinalEvents(std::size_t max_pairs, std::function<void(const Record&)> emit)
    : max_pairs_(max_pairs ? max_pairs : 1), emit_(std::move(emit)) {}

void FinalEvents::add(const Record& r) {
  const std::uint64_t h = identity_hash(r);
  if (const Bucket* bucket = find(r, h)) {  // a later event of a kept pair
    Kept& k = kept_[bucket->number - 1 - first_];
    kept_bytes_ -= k.text;
    k.record = r;
    keep_text(k);
  } else {
    while (kept_.size() >= max_pairs_) {
      ++evicted_;
      emit_oldest();
    }
    if ((kept_.size() + 1) * 2 > index_.size()) grow();
    kept_.push_back(Kept{r, h});
    keep_text(kept_.back());
    place(first_ + kept_.size() - 1, h);
  }
  if (text_bytes_ > 2 * kept_bytes_ + kCompactSlack) compact();
}

void FinalEvents::finish() {
  for (const Kept& k : kept_) emit_(k.record);
  first_ += kept_.size();
  kept_.clear();
  index_.assign(index_.size(), Bucket{});
  text_ = StringArena{};
  text_bytes_ = kept_bytes_ = 0;
}

const FinalEvents::Bucket* FinalEvents::find(const Record& r, std::uint64_t hash) const {
  if (index_.empty()) return nullptr;
  for (std::size_t b = hash & mask_;; b = (b + 1) & mask_) {
    const Bucket& e = index_[b];
    if (e.number == 0) return nullptr;
    if (e.hash != static_cast<std::uint32_t>(hash)) continue;
    const Kept& k = kept_[e.number - 1 - first_];
    if (k.hash == hash && k.record.format == r.format &&
        same_text(k.record.message_key, r.message_key) &&
        same_text(k.record.recipient, r.recipient))
      return &e;
  }
}

void FinalEvents::place(std::uint64_t number, std::uint64_t hash) {
  std::size_t b = hash & mask_;
  while (index_[b].number != 0) b = (b + 1) & mask_;
  index_[b] = Bucket{number + 1, static_cast<std::uint32_t>(hash)};
}

// Rehashes from the old buckets (sequential, and their hash bits suffice for
// any capacity below 2^32) rather than from the kept records.
void FinalEvents::grow() {
  std::vector<Bucket> old(index_.empty() ? 1024 : index_.size() * 2, Bucket{});
  old.swap(index_);
  mask_ = index_.size() - 1;
  for (const Bucket& e : old)
    if (e.number != 0) place(e.number - 1, e.hash);
}

// Emits the pair opened first and takes it out of the index.
void FinalEvents::emit_oldest() {
  const Kept& oldest = kept_.front();
  emit_(oldest.record);
  std::size_t hole = oldest.hash & mask_;
  while (index_[hole].number != first_ + 1) hole = (hole + 1) & mask_;
  backward_shift_erase(  // mask_ < 2^32: a bucket's low hash bits give its home
      index_, mask_, hole, [](const Bucket& b) { return b.number == 0; },
      [](const Bucket& b) { return std::size_t{b.hash}; });
  kept_bytes_ -= oldest.text;
  kept_.pop_front();
  ++first_;
}

void FinalEvents::keep_text(Kept& k) {
  std::size_t bytes = 0;
  for_each_view(k.record, [&](std::string_view& v) {
    v = text_.copy(v);
    bytes += v.size();
  });
  k.text = bytes;
  text_bytes_ += bytes;
  kept_bytes_ += bytes;
}

// The kept records' text, copied into a fresh arena; the old one, with the
// text of replaced and emitted records, is freed.
void FinalEvents::compact() {
  StringArena fresh;
  for (Kept& k : kept_) for_each_view(k.record, [&](std::string_view& v) { v = fresh.copy(v); });
  text_ = std::move(fresh);
  text_bytes_ = kept_bytes_;
}

}  // namespace bounce::correlate
