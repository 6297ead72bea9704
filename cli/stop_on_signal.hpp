// SIGINT and SIGTERM as a polite request to stop, for commands that run until
// interrupted (`bounce parse --follow`): the command finishes its output and
// summary instead of dying mid-line. The previous handlers are restored when
// the object goes away.

#ifndef BOUNCE_CLI_STOP_ON_SIGNAL_HPP_
#define BOUNCE_CLI_STOP_ON_SIGNAL_HPP_

#include <atomic>
#include <csignal>

namespace bounce::cli {

class StopOnSignal {
 public:
  StopOnSignal() {
    flag().store(false);
    previous_int_ = std::signal(SIGINT, &StopOnSignal::handle);
    previous_term_ = std::signal(SIGTERM, &StopOnSignal::handle);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

  bool requested() const noexcept { return flag().load(std::memory_order_relaxed); }

 private:
  static std::atomic<bool>& flag() noexcept {
    static std::atomic<bool> stop{false};  // lock-free: safe to set from a handler
    return stop;
  }
  static void handle(int) noexcept { flag().store(true, std::memory_order_relaxed); }

  void (*previous_int_)(int) = SIG_DFL;
  void (*previous_term_)(int) = SIG_DFL;
};

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_STOP_ON_SIGNAL_HPP_
