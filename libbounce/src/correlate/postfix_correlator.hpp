// Joins the lines of each Postfix message into per-recipient records.
//
// Key: (host, queue id). A message collects its client (smtpd), sender, size
// and recipient count (qmgr), Message-ID (cleanup); each `to=` line is one
// attempt for one recipient. The last of sent/bounced/deliverable/undeliverable
// decides; deferred and SOFTBOUNCE are provisional; a qmgr expiry turns every
// still-pending recipient into expired (keeping the last deferral's reason, as
// a final failure: hard, and no longer "retry"); `removed` closes the message.
//
// Hops on the same host are followed so that a message is counted once, at its
// final external delivery: `status=sent (... queued as Q2)` to a loopback or
// socket relay (content filters, instance-to-instance), `forwarded as Q2`
// (local aliases), pickup `orig_id=Q1` and smtpd `orig_queue_id=Q1` (requeue,
// multi-instance). A hop line yields no record; the next hop's records carry
// the chain's first queue id as origin_key and inherit what it lacks.
//
// Bounce and delay notifications (`sender non-delivery notification: Q2`,
// from=<>) and postmaster notices are flagged `notification`; address
// verification results (deliverable/undeliverable) are flagged `probe`.
//
// Memory is bounded: a message is dropped at `removed`, and the oldest open
// messages are flushed when more than max_open are open or when idle longer
// than max_age_s; flushed messages still produce their records (counted as
// evictions). Open messages live in a MessageTable, whose slots are reused:
// a steady log allocates nothing per message.

#ifndef BOUNCE_SRC_CORRELATE_POSTFIX_CORRELATOR_HPP_
#define BOUNCE_SRC_CORRELATE_POSTFIX_CORRELATOR_HPP_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "bounce/record.hpp"
#include "correlate/line_context.hpp"
#include "correlate/message_table.hpp"
#include "formats/postfix_event.hpp"

namespace bounce::correlate {

class PostfixCorrelator {
 public:
  using Sink = std::function<void(const Record&)>;

  /// Records carry the classification the reader put on each event.
  PostfixCorrelator(View view, std::size_t max_open, std::int64_t max_age_s, Sink sink);

  /// Feeds one parsed line (in log order).
  void add(const formats::PostfixEvent& e, const LineContext& ctx);
  /// Flushes every open message (end of input): pending recipients come out deferred.
  void finish();

  std::uint64_t evicted() const noexcept { return evicted_; }
  std::size_t open_messages() const noexcept { return messages_.size(); }

 private:
  struct Recipient {
    std::string address;
    int attempts = 0;
    bool decided = false;  ///< delivered / bounced / dropped / expired / probe result
    bool hop = false;      ///< handed to another queue id: no record of its own
    bool has_last = false;
    OwnedRecord last;  ///< the latest record (final view, expiry)
  };
  struct Message {
    std::string key, host;  ///< queue id and logging host: the identity
    std::string sender, message_id, client_host, client_ip, origin_key;
    bool has_sender = false, notification = false;
    std::int64_t size = 0;
    std::int64_t last_seen_us = 0;

    /// The recipients, in the order first seen.
    std::span<Recipient> recipients() noexcept { return {recipient_pool.data(), recipient_count}; }
    Recipient& add_recipient(std::string_view address);
    /// Empties the message for reuse, keeping the capacity of its strings.
    void reset() noexcept;

   private:
    // The first recipient_count are this message's; the rest keep their
    // capacity for the next message in this slot.
    std::vector<Recipient> recipient_pool;
    std::size_t recipient_count = 0;
  };
  // What a hop passes on to the next queue id, until that one shows up.
  struct Inheritance {
    std::string origin_key, sender, message_id, client_host, client_ip;
    bool has_sender = false, notification = false;
  };
  using Slot = std::uint32_t;
  static constexpr Slot kNone = MessageTable<Message>::npos;

  Message& message(std::string_view host, std::string_view qid, const LineContext& ctx);
  Message* find(std::string_view host, std::string_view qid);
  void inherit(Message& child, const Inheritance& from);
  Inheritance inheritance_of(const Message& m) const;
  void link_child(std::string_view host, std::string_view child_qid, const Message& parent);
  void on_delivery(const formats::PostfixEvent& e, const LineContext& ctx);
  void on_reject(const formats::PostfixEvent& e, const LineContext& ctx);
  void on_expired(Message& m, const formats::PostfixEvent& e, const LineContext& ctx);
  void close(Slot slot, bool evicted);
  void close(std::string_view host, std::string_view qid);
  void emit(const Record& r);
  void enforce_bounds(std::int64_t now_us);
  Record base_record(const Message* m, const LineContext& ctx) const;
  const std::string& link_key(std::string_view host, std::string_view qid);

  View view_;
  std::size_t max_open_;
  std::int64_t max_age_us_;
  Sink sink_;
  MessageTable<Message> messages_;
  std::unordered_map<std::string, Inheritance> pending_links_;
  std::uint64_t evicted_ = 0;
  std::int64_t last_age_scan_us_ = 0;
  std::string key_buf_;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_POSTFIX_CORRELATOR_HPP_
