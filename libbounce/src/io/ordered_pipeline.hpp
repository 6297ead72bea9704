// A step run on worker threads over a ring of slots, handed back in the order
// the slots were submitted. The reader parses chunks this way while its own
// thread correlates the chunks already parsed: the serial step overlaps the
// parallel one instead of waiting for a whole batch, and still sees its input
// in order whichever worker finished first. The ring bounds memory: at most
// `depth` slots are in flight.
//
// Only one thread (the owner) calls the member functions; workers only run
// the step, and so does the owner while it waits for the oldest slot. With
// no workers at all, the owner runs every step itself.

#ifndef BOUNCE_SRC_IO_ORDERED_PIPELINE_HPP_
#define BOUNCE_SRC_IO_ORDERED_PIPELINE_HPP_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bounce::io {

template <class Slot>
class OrderedPipeline {
 public:
  /// Starts `workers` threads (0 or more) that run `step` on submitted slots. `depth`
  /// (>= 1) slots exist; each keeps its contents (and capacity) across uses.
  OrderedPipeline(unsigned workers, std::size_t depth, std::function<void(Slot&)> step)
      : slots_(depth), done_(depth, true), errors_(depth), step_(std::move(step)) {
    threads_.reserve(workers);
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  /// Stops the workers (a step under way finishes first) and joins them.
  ~OrderedPipeline() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  bool full() const noexcept { return submitted_ - taken_ == slots_.size(); }
  bool empty() const noexcept { return submitted_ == taken_; }

  /// The free slot to fill before submit(). Only when !full().
  Slot& back() noexcept { return slots_[submitted_ % slots_.size()]; }
  /// Hands back() to a worker.
  void submit() {
    const std::size_t i = submitted_++ % slots_.size();
    {
      const std::lock_guard lock(mutex_);
      done_[i] = false;
      errors_[i] = nullptr;
      pending_.push_back(i);
    }
    work_ready_.notify_one();
  }
  /// Waits for the oldest submitted slot and returns it; rethrows what its
  /// step threw. Only when !empty(). While it is not done, this thread runs
  /// the step on submitted slots no worker has started (the oldest first)
  /// rather than sleep: the owner's idle time goes to the parallel step, and
  /// no worker has to share a core with a waiting owner.
  Slot& front() {
    const std::size_t i = taken_ % slots_.size();
    std::unique_lock lock(mutex_);
    while (!done_[i]) {
      if (pending_.empty()) {
        slot_done_.wait(lock);
        continue;
      }
      const std::size_t k = pending_.front();
      pending_.pop_front();
      lock.unlock();
      run_step(k);
      lock.lock();
    }
    if (errors_[i]) std::rethrow_exception(errors_[i]);
    return slots_[i];
  }
  /// Frees front() for reuse.
  void pop() noexcept { ++taken_; }

  /// Runs a whole input through: `next()` gives the next item (an optional,
  /// empty at the end), `fill(slot, item)` puts it into a free slot before it
  /// goes to a worker, `take(slot)` consumes the slots on this thread, in the
  /// order of their items. At most `depth` items are in flight.
  template <class Next, class Fill, class Take>
  void run(Next&& next, Fill&& fill, Take&& take) {
    bool more = true;
    for (;;) {
      while (more && !full()) {
        auto item = next();
        more = item.has_value();
        if (!more) break;
        fill(back(), std::move(*item));
        submit();
      }
      if (empty()) return;
      take(front());
      pop();
    }
  }

 private:
  void work() {
    for (;;) {
      std::size_t i = 0;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
        if (stopping_) return;
        i = pending_.front();
        pending_.pop_front();
      }
      run_step(i);
    }
  }

  // Runs the step on slot i (taken off pending_) and marks it done.
  void run_step(std::size_t i) {
    std::exception_ptr error;
    try {
      step_(slots_[i]);
    } catch (...) {
      error = std::current_exception();
    }
    {
      const std::lock_guard lock(mutex_);
      errors_[i] = error;
      done_[i] = true;
    }
    slot_done_.notify_one();  // only the owner waits
  }

  std::vector<Slot> slots_;
  std::vector<char> done_;  // guarded by mutex_ (char: vector<bool> packs bits)
  std::vector<std::exception_ptr> errors_;
  std::deque<std::size_t> pending_;
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable work_ready_, slot_done_;
  std::function<void(Slot&)> step_;
  std::size_t submitted_ = 0, taken_ = 0;  // owner only
  std::vector<std::thread> threads_;
};

}  // namespace bounce::io

#endif  // BOUNCE_SRC_IO_ORDERED_PIPELINE_HPP_
