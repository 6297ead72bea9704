// Joins an Exim message's lines into per-recipient records: the arrival
// (`<=`/`(=`) gives the sender, client, size and Message-ID; each `=>`, `->`,
// `>>`, `*>`, `**`, `==` line is one outcome for one recipient (the last one
// decides; `==` is provisional); `Completed` closes the message. A bounce is
// a new message `<= <> R=PARENT`: flagged as a notification. Key: (host, id).
// Memory: messages close at Completed; at most max_open stay open (the oldest
// are flushed first, still producing their records).

#ifndef BOUNCE_SRC_CORRELATE_EXIM_CORRELATOR_HPP_
#define BOUNCE_SRC_CORRELATE_EXIM_CORRELATOR_HPP_

#include <functional>
#include <string>
#include <vector>

#include "bounce/classifier.hpp"
#include "bounce/reader.hpp"
#include "correlate/open_messages.hpp"
#include "correlate/postfix_correlator.hpp"
#include "formats/exim_parser.hpp"

namespace bounce::correlate {

class EximCorrelator {
 public:
  using Sink = std::function<void(const Record&)>;
  /// Records carry the classification the reader put on each event.
  EximCorrelator(View view, std::size_t max_open, Sink sink);
  void add(const formats::EximEvent& e, const LineContext& ctx);
  void finish();
  std::uint64_t evicted() const noexcept { return open_.evicted(); }

 private:
  struct Recipient {
    std::string address;
    int attempts = 0;
    OwnedRecord last;  ///< final view: the latest outcome
  };
  struct Message {
    std::string sender, message_id, client_host, client_ip;
    bool notification = false;
    std::int64_t size = 0;
    std::vector<Recipient> recipients;  ///< in order of first outcome; few per message
    /// Empties every member for the next message, keeping string capacity.
    void reset() {
      sender.clear(), message_id.clear(), client_host.clear(), client_ip.clear();
      notification = false;
      size = 0;
      recipients.clear();
    }
  };
  void close(const Message& m);

  View view_;
  Sink sink_;
  OpenMessages<Message> open_;
};

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_EXIM_CORRELATOR_HPP_
