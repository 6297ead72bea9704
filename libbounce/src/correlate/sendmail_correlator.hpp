// Joins Sendmail's lines into per-recipient records. Key: (host, QID).
// - `from=` gives the envelope (sender, size, Message-ID, client);
// - each `to=` line is one attempt for each recipient it lists (several
//   when Sendmail delivered them in one transaction); the last one decides;
// - `stat=Sent (QID2 Message accepted for delivery)` towards a QID2 open on
//   the same host is a hop (MSP -> MTA, or sm-msp-queue -> MTA): the record
//   is intermediate and QID2's records name QID1 as their origin, whichever
//   of the two lines comes first;
// - `QID: NEWQID: DSN: ...` and the other savemail.c links open NEWQID as a
//   notification; `sender notify: Cannot send message for N days` expires
//   every recipient of QID still pending, keeping its last attempt's facts;
// - RCPT-time refusals are `rejected` records of the refusing QID, emitted
//   once its `from=` (logged after them) has given their sender.
// Sendmail logs no end-of-message line. A message is complete when each of
// its recipients (nrcpts= of its from= line, or every one seen when that is
// unknown) has a final outcome; it is closed kCloseAfter of log time later,
// since the MSP's hop line and the DSN link can still follow. Others stay
// open until the input ends or max_open newer ones push them out (oldest
// first, still emitting).

#ifndef BOUNCE_SRC_CORRELATE_SENDMAIL_CORRELATOR_HPP_
#define BOUNCE_SRC_CORRELATE_SENDMAIL_CORRELATOR_HPP_

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "correlate/open_messages.hpp"
#include "correlate/postfix_correlator.hpp"
#include "formats/sendmail_parser.hpp"

namespace bounce::correlate {

class SendmailCorrelator {
 public:
  using Sink = std::function<void(const Record&)>;
  SendmailCorrelator(const Classifier& classifier, View view, std::size_t max_open, Sink sink);
  void add(const formats::SendmailEvent& e, const LineContext& ctx);
  void finish();
  std::uint64_t evicted() const noexcept { return open_.evicted(); }
  std::size_t open_messages() const noexcept { return open_.size(); }

 private:
  struct Recipient {
    std::string address;
    OwnedRecord last;
    int attempts = 0;
    bool hop = false;      ///< handed to another QID on this host
    bool decided = false;  ///< a final outcome (not a deferral)
  };
  struct Message {
    std::string qid, origin, sender, message_id, client_host, client_ip;
    std::int64_t size = 0;
    int nrcpts = 0;
    bool has_from = false, notification = false;
    bool closing = false;  ///< in completed_, to be closed when complete then
    std::vector<Recipient> recipients;
    std::vector<OwnedRecord> rejects;  ///< waiting for the from= line
  };

  Message& message(std::string_view host, std::string_view qid);
  Recipient& recipient(Message& m, std::string_view address);
  void on_to(Message& m, const formats::SendmailEvent& e, const LineContext& ctx);
  void on_link(Message* m, const formats::SendmailEvent& e, const LineContext& ctx);
  void on_reject(Message& m, const formats::SendmailEvent& e, const LineContext& ctx);
  void record(Message& m, Recipient& rc, const Record& r);
  void emit(const Message& m, const Record& r);
  void close(Message& m);
  bool complete(const Message& m) const;
  void close_later(Message& m, std::string_view host, const LineContext& ctx);
  void close_completed(std::int64_t now_us);

  const Classifier& classifier_;
  View view_;
  Sink sink_;
  OpenMessages<Message> open_;
  struct Completed {
    std::int64_t time_us;
    std::string host, qid;
  };
  std::deque<Completed> completed_;  ///< in log order

 public:
  /// Log time between a message's completion and its closing.
  static constexpr std::int64_t kCloseAfter = 10 * 60 * 1000000ll;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_SENDMAIL_CORRELATOR_HPP_
