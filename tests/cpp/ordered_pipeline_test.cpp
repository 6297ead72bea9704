// io::OrderedPipeline: slots come back in submission order whichever worker
// (or the waiting owner) finishes first, a step's exception reaches the owner at that slot, and
// destroying a pipeline with work in flight neither hangs nor leaks.

#include "io/ordered_pipeline.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bounce::io {
namespace {

struct Slot {
  int input = 0;
  int output = 0;
};

// Even inputs sleep, so with two workers odd ones finish first.
void slow_square(Slot& s) {
  if (s.input % 2 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  s.output = s.input * s.input;
}

// Runs `count` inputs through the pipeline as the reader does.
std::vector<int> run(OrderedPipeline<Slot>& pipeline, int count) {
  std::vector<int> out;
  int next = 0;
  pipeline.run(
      [&]() -> std::optional<int> { return next < count ? std::optional(next++) : std::nullopt; },
      [](Slot& s, int input) { s.input = input; }, [&](Slot& s) { out.push_back(s.output); });
  return out;
}

TEST(OrderedPipeline, ReturnsSlotsInSubmissionOrder) {
  for (const unsigned workers : {0u, 1u, 2u, 4u}) {
    OrderedPipeline<Slot> pipeline(workers, workers + 1, slow_square);
    const std::vector<int> out = run(pipeline, 50);
    ASSERT_EQ(out.size(), 50u) << workers;
    for (int i = 0; i < 50; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i)], i * i) << workers;
  }
}

TEST(OrderedPipeline, TheOwnerRunsStepsWhileItWaits) {
  // Without workers the owner runs every step; with one busy worker it takes
  // a submitted slot no worker has started rather than sleep.
  for (const unsigned workers : {0u, 1u}) {
    const std::thread::id owner = std::this_thread::get_id();
    std::atomic<int> on_owner{0};
    OrderedPipeline<Slot> pipeline(workers, 3, [&](Slot& s) {
      if (std::this_thread::get_id() == owner) ++on_owner;
      slow_square(s);
    });
    const std::vector<int> out = run(pipeline, 9);
    ASSERT_EQ(out.size(), 9u);
    EXPECT_EQ(out[8], 64);
    if (workers == 0)
      EXPECT_EQ(on_owner.load(), 9);
    else
      EXPECT_GE(on_owner.load(), 1);
  }
}

TEST(OrderedPipeline, IsReusedAfterDraining) {
  OrderedPipeline<Slot> pipeline(2, 3, slow_square);
  EXPECT_EQ(run(pipeline, 7).size(), 7u);
  const std::vector<int> again = run(pipeline, 4);
  EXPECT_EQ(again, (std::vector<int>{0, 1, 4, 9}));
}

TEST(OrderedPipeline, BoundsSlotsInFlight) {
  std::atomic<int> running{0}, most{0};
  OrderedPipeline<Slot> pipeline(4, 2, [&](Slot& s) {
    most = std::max(most.load(), ++running);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    s.output = s.input;
    --running;
  });
  pipeline.back().input = 1;
  pipeline.submit();
  pipeline.back().input = 2;
  pipeline.submit();
  EXPECT_TRUE(pipeline.full());
  EXPECT_EQ(pipeline.front().output, 1);
  pipeline.pop();
  EXPECT_FALSE(pipeline.full());
  EXPECT_EQ(pipeline.front().output, 2);
  pipeline.pop();
  EXPECT_TRUE(pipeline.empty());
  EXPECT_LE(most.load(), 2);
}

TEST(OrderedPipeline, RethrowsAStepsErrorAtItsSlot) {
  OrderedPipeline<Slot> pipeline(2, 3, [](Slot& s) {
    if (s.input == 3) throw std::runtime_error("bad slot 3");
    slow_square(s);
  });
  std::vector<int> delivered;
  int next = 0;
  try {
    pipeline.run(
        [&]() -> std::optional<int> { return next < 10 ? std::optional(next++) : std::nullopt; },
        [](Slot& s, int input) { s.input = input; },
        [&](Slot& s) { delivered.push_back(s.output); });
    FAIL() << "expected the step's error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bad slot 3");
  }
  // Everything before the failing slot came through, in order.
  EXPECT_EQ(delivered, (std::vector<int>{0, 1, 4}));
}

TEST(OrderedPipeline, DestroyedWithWorkInFlight) {
  std::atomic<int> steps{0};
  {
    OrderedPipeline<Slot> pipeline(2, 3, [&](Slot& s) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      s.output = ++steps;
    });
    for (int i = 0; i < 3; ++i) {
      pipeline.back().input = i;
      pipeline.submit();
    }
  }  // joins: at most the steps under way finish
  EXPECT_LE(steps.load(), 3);
}

}  // namespace
}  // namespace bounce::io
