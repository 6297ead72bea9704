// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/record.hpp - one delivery attempt (or final outcome) for one recipient.
//
// A Record is the one currency between the parsers and their users: the same
// fields whatever the input format. Records are handed to callbacks as views:
// every std::string_view in a Record points into the reader's buffers and is
// valid only during the callback. Keep a record beyond it with OwnedRecord:
//
//   std::vector<bounce::OwnedRecord> kept;
//   reader.read(inputs, [&](const bounce::Record& r) {
//     if (r.outcome == bounce::Outcome::bounced) kept.emplace_back(r);   // copies once
//   });
//
// Absent values are empty strings, 0 for codes and counts, and a negative
// delay. Times are UTC microseconds since the Unix epoch.

#ifndef BOUNCE_RECORD_HPP_
#define BOUNCE_RECORD_HPP_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "bounce/classifier.hpp"
#include "bounce/export.hpp"

namespace bounce {

// clang-format off
#define BOUNCE_OUTCOMES(X)                                                                  \
  X(delivered, "accepted by the next hop or delivered locally")                            \
  X(deferred,  "temporarily failed; still queued for another attempt")                    \
  X(bounced,   "permanently failed; a non-delivery notice was (or will be) sent")          \
  X(expired,   "the sending MTA gave up after retrying for too long")                     \
  X(rejected,  "refused at SMTP time by our own server (inbound), never queued")          \
  X(dropped,   "accepted and discarded on purpose (discard transport, blackhole)")        \
  X(complaint, "the recipient reported the message as spam (provider events)")            \
  X(unknown,   "the outcome could not be determined")

#define BOUNCE_FORMATS(X)                                                                   \
  X(postfix,   "Postfix syslog")                                                           \
  X(exim,      "Exim main log")                                                            \
  X(sendmail,  "Sendmail syslog")                                                          \
  X(exchange,  "Microsoft Exchange message tracking CSV")                                  \
  X(ses,       "Amazon SES notifications and events (JSON)")                               \
  X(sendgrid,  "SendGrid event webhook (JSON)")                                            \
  X(mailgun,   "Mailgun events (JSON)")                                                    \
  X(postmark,  "Postmark bounce webhooks and API records (JSON)")                          \
  X(sparkpost, "SparkPost / Bird message events (JSON)")
// clang-format on

#define BOUNCE_ENUM_VALUE_(name, doc) name,
/// What happened to a delivery attempt.
enum class Outcome : std::uint8_t { BOUNCE_OUTCOMES(BOUNCE_ENUM_VALUE_) };
/// The input format a record came from.
enum class Format : std::uint8_t { BOUNCE_FORMATS(BOUNCE_ENUM_VALUE_) };
#undef BOUNCE_ENUM_VALUE_

BOUNCE_EXPORT std::string_view to_string(Outcome v) noexcept;
BOUNCE_EXPORT std::string_view to_string(Format v) noexcept;
BOUNCE_EXPORT std::string_view describe(Outcome v) noexcept;
BOUNCE_EXPORT std::string_view describe(Format v) noexcept;
template <>
BOUNCE_EXPORT std::optional<Outcome> from_string<Outcome>(std::string_view name) noexcept;
template <>
BOUNCE_EXPORT std::optional<Format> from_string<Format>(std::string_view name) noexcept;
template <>
BOUNCE_EXPORT std::span<const Outcome> all_values<Outcome>() noexcept;
template <>
BOUNCE_EXPORT std::span<const Format> all_values<Format>() noexcept;

/// One delivery attempt, or the final outcome, for one (message, recipient).
struct Record {
  // When and where.
  std::int64_t time_us = 0;      ///< UTC microseconds since the epoch (valid when has_time)
  bool has_time = false;         ///< false for lines without a timestamp
  std::string_view time_text{};  ///< the timestamp as logged
  Format format = Format::postfix;
  std::string_view host{};  ///< the host that logged the line (syslog hostname)

  // Which message.
  std::string_view message_key{};  ///< queue id / message id of the delivering hop
  std::string_view origin_key{};   ///< first queue id of a hop chain (content filter, requeue)
  std::string_view message_id{};   ///< RFC 5322 Message-ID, without <>
  std::string_view sender{};       ///< envelope sender ("" for the null sender <>)
  std::int64_t size = 0;           ///< message size in bytes (0 = unknown)
  std::string_view client_host{};  ///< where the message came from (smtpd client=)
  std::string_view client_ip{};
  bool notification = false;  ///< a bounce / delay notification (sender <>) or postmaster notice
  bool probe = false;         ///< an address-verification probe

  // Which recipient, and where it went.
  std::string_view recipient{};
  std::string_view orig_recipient{};    ///< before alias/virtual rewriting (orig_to=)
  std::string_view recipient_domain{};  ///< lower-case domain of the recipient
  std::string_view relay_host{};        ///< next hop ("" for none/local)
  std::string_view relay_ip{};
  int relay_port = 0;
  std::string_view sending_ip{};  ///< our IP that sent it, where the input says (provider events)

  // What happened.
  Outcome outcome = Outcome::unknown;
  std::string_view status{};  ///< the MTA's own status word ("sent", "SOFTBOUNCE", "bounced")
  int reply_code = 0;         ///< the remote server's basic reply code
  std::string_view enhanced_code{};  ///< as logged by the MTA (Postfix dsn=)
  std::string_view reply_text{};     ///< the remote reply (or local error) without codes or phase
  std::string_view diagnostic{};     ///< the whole status text as logged
  std::string_view phase{};          ///< SMTP phase as logged ("RCPT TO", "end of DATA")
  double delay_s = -1;               ///< total delay in seconds (negative = unknown)
  std::string_view delays{};         ///< Postfix delays=a/b/c/d
  std::string_view tls{};            ///< TLS level or protocol as logged
  int attempt = 0;  ///< 1-based delivery attempt number for this (message, recipient)

  Classification classification;  ///< the verdict on this attempt

  // Provenance: the line that decided this record.
  std::string_view file{};
  std::uint64_t line = 0;  ///< 1-based
};

/// A Record that owns its strings (one allocation). Cheap to move.
class BOUNCE_EXPORT OwnedRecord {
 public:
  OwnedRecord() = default;
  explicit OwnedRecord(const Record& r);
  OwnedRecord(const OwnedRecord& other);
  OwnedRecord& operator=(const OwnedRecord& other);
  OwnedRecord(OwnedRecord&&) noexcept;
  OwnedRecord& operator=(OwnedRecord&&) noexcept;
  ~OwnedRecord();

  /// Replaces the record with a copy of `r` (which may point into this one),
  /// in this object's buffer: no allocation once the buffer is large enough,
  /// where `last = OwnedRecord(r)` allocates a new one each time.
  void assign(const Record& r);

  /// The record; its views point into this object.
  const Record& get() const noexcept { return record_; }
  Record& get() noexcept { return record_; }
  const Record* operator->() const noexcept { return &record_; }

 private:
  Record record_;
  std::string storage_;
};

}  // namespace bounce

#endif  // BOUNCE_RECORD_HPP_
