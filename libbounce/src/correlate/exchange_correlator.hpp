// Joins Exchange message tracking rows into per-recipient records. Key:
// (message-id, recipient) within one file: the internal-message-id changes
// at every hop inside a message, so it only names the delivering hop.
// - DELIVER and a 2xx SEND deliver; FAIL bounces (expires on QUEUE.Expired,
//   4.4.7); DEFER defers; DROP drops; the last of them decides;
// - a DSN row opens the non-delivery report as a notification (its
//   `reference` is the original's message-id);
// - EXPAND, REDIRECT and RESOLVE give each address its orig_recipient;
// - RECEIVE gives the client; the other events decide nothing.
// Each file is read on its own: finish() ends one.

#ifndef BOUNCE_SRC_CORRELATE_EXCHANGE_CORRELATOR_HPP_
#define BOUNCE_SRC_CORRELATE_EXCHANGE_CORRELATOR_HPP_

#include <functional>
#include <string>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "correlate/open_messages.hpp"
#include "correlate/postfix_correlator.hpp"
#include "formats/exchange_parser.hpp"

namespace bounce::correlate {

class ExchangeCorrelator {
 public:
  using Sink = std::function<void(const Record&)>;
  ExchangeCorrelator(const Classifier& classifier, View view, std::size_t max_open, Sink sink);
  void add(const formats::ExchangeRow& row, const LineContext& ctx);
  void finish();
  std::uint64_t evicted() const noexcept { return open_.evicted(); }

 private:
  struct Recipient {
    std::string address, original;  ///< original: the group or old address it came from
    OwnedRecord last;
    int attempts = 0;
  };
  struct Message {
    std::string client_host, client_ip;
    bool notification = false;
    std::vector<Recipient> recipients;
  };

  Recipient& recipient(Message& m, std::string_view address);
  void on_outcome(Message& m, const formats::ExchangeRow& row, Outcome outcome,
                  const LineContext& ctx);
  void close(const Message& m);

  const Classifier& classifier_;
  View view_;
  Sink sink_;
  OpenMessages<Message> open_;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_EXCHANGE_CORRELATOR_HPP_
