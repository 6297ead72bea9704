// FinalEvents against a plain model (a list in order of first appearance and
// a map from identity to its latest record), through eviction, replacement
// and the compaction of the kept records' text.

#include "correlate/final_events.hpp"

#include <gtest/gtest.h>

#include <list>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace bounce::correlate {
namespace {

// What a test keeps of a record: its identity and a text that says which event it was.
using Seen = std::tuple<Format, std::string, std::string, std::string>;

Seen seen(const Record& r) {
  return {r.format, std::string(r.message_key), std::string(r.recipient),
          std::string(r.diagnostic)};
}

// The records a FinalEvents with this bound must emit for `events`, in order.
std::vector<Seen> model(const std::vector<Seen>& events, std::size_t max_pairs,
                        std::uint64_t& evicted) {
  std::vector<Seen> out;
  std::list<Seen> open;  // oldest first
  using Key = std::tuple<Format, std::string, std::string>;
  std::map<Key, std::list<Seen>::iterator> where;
  for (const Seen& e : events) {
    const Key key{std::get<0>(e), std::get<1>(e), std::get<2>(e)};
    if (const auto it = where.find(key); it != where.end()) {
      *it->second = e;
      continue;
    }
    while (open.size() >= max_pairs) {
      const Seen& oldest = open.front();
      where.erase(Key{std::get<0>(oldest), std::get<1>(oldest), std::get<2>(oldest)});
      out.push_back(oldest);
      open.pop_front();
      ++evicted;
    }
    open.push_back(e);
    where[key] = std::prev(open.end());
  }
  out.insert(out.end(), open.begin(), open.end());
  return out;
}

std::vector<Seen> run(const std::vector<Seen>& events, std::size_t max_pairs,
                      std::uint64_t& evicted) {
  std::vector<Seen> out;
  FinalEvents final_events(max_pairs, [&](const Record& r) { out.push_back(seen(r)); });
  for (const Seen& e : events) {
    // The record's text lives only for the call, as a reader's does.
    std::string key = std::get<1>(e), rcpt = std::get<2>(e), text = std::get<3>(e);
    Record r;
    r.format = std::get<0>(e);
    r.message_key = key;
    r.recipient = rcpt;
    r.diagnostic = text;
    final_events.add(r);
    key.assign(key.size(), '#');  // a view kept into the caller's text would now read '#'
    text.assign(text.size(), '#');
  }
  final_events.finish();
  evicted = final_events.evicted();
  return out;
}

TEST(FinalEvents, LastRecordPerPairInOrderOfFirstAppearance) {
  const std::vector<Seen> events = {{Format::ses, "m1", "a@x", "send"},
                                    {Format::ses, "m2", "b@x", "deferred"},
                                    {Format::sendgrid, "m1", "a@x", "other provider"},
                                    {Format::ses, "m1", "a@x", "delivered"},
                                    {Format::ses, "m2", "b@x", "bounced"},
                                    {Format::ses, "m1", "c@x", "delivered"}};
  std::uint64_t evicted = 0;
  const std::vector<Seen> expected = {{Format::ses, "m1", "a@x", "delivered"},
                                      {Format::ses, "m2", "b@x", "bounced"},
                                      {Format::sendgrid, "m1", "a@x", "other provider"},
                                      {Format::ses, "m1", "c@x", "delivered"}};
  EXPECT_EQ(run(events, 100, evicted), expected);
  EXPECT_EQ(evicted, 0u);
}

// Many pairs through a small bound, with repeats near and far: the index
// loses no pair through its deletions and growth, and the records match the
// model's, evictions included.
TEST(FinalEvents, MatchesTheModelThroughEvictionAndGrowth) {
  std::mt19937 rng(7);
  std::vector<Seen> events;
  for (int i = 0; i < 60000; ++i) {
    const int message = static_cast<int>(rng() % 20000);
    const int rcpt = static_cast<int>(rng() % 3);
    events.push_back(
        {rng() % 5 == 0 ? Format::mailgun : Format::ses, "msg" + std::to_string(message),
         "user" + std::to_string(rcpt) + "@example.com", "event " + std::to_string(i)});
  }
  for (const std::size_t bound : {std::size_t{1}, std::size_t{700}, std::size_t{100000}}) {
    std::uint64_t evicted = 0, model_evicted = 0;
    EXPECT_EQ(run(events, bound, evicted), model(events, bound, model_evicted)) << bound;
    EXPECT_EQ(evicted, model_evicted) << bound;
  }
}

// One pair replaced until its old copies are many times the kept text: the
// text is compacted on the way (the arena it was in is freed, and its memory
// serves later copies), and what is emitted is each pair's last event, the
// pair never replaced included.
TEST(FinalEvents, CompactedTextStaysTheLatest) {
  std::vector<Seen> events = {{Format::ses, "m0", "a@x", "the first and only event of m0"}};
  const std::string filler(2000, 'x');
  for (int i = 0; i < 20000; ++i)  // 40 MB of text through one pair
    events.push_back({Format::ses, "m1", "a@x", filler + std::to_string(i)});
  std::uint64_t evicted = 0;
  const std::vector<Seen> out = run(events, 10, evicted);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(std::get<1>(out[0]), "m0");
  EXPECT_EQ(std::get<3>(out[0]), "the first and only event of m0");
  EXPECT_EQ(std::get<3>(out[1]), filler + "19999");
}

}  // namespace
}  // namespace bounce::correlate
