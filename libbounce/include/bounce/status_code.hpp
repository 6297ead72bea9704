// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/status_code.hpp - SMTP reply codes and RFC 3463 enhanced status codes.
//
// A remote reply carries up to two codes: the basic reply code (RFC 5321,
// `550`) and the enhanced status code (RFC 3463, `5.1.1`). Logs write them in
// many shapes; split_reply() finds both in any of them:
//
//   550 5.1.1 <u@example.com>: Recipient address rejected     (plain)
//   550-5.1.1 The email account ... 550 5.1.1 double-check    (multi-line, joined)
//   host mx.example.com[192.0.2.1] said: 550 5.1.1 ...       (Postfix)
//   smtp; 550 5.1.1 user unknown                              (DSN diagnostic-code)
//   #5.1.1 smtp;550 Requested action not taken                (Lotus/Exchange NDR)
//   5.1.1 The email account that you tried to reach ...       (enhanced code only)
//
// EXAMPLE:
//
//   bounce::ReplyParts p = bounce::split_reply("550-5.1.1 No such user");
//   // p.reply_code == 550, p.enhanced.to_string() == "5.1.1",
//   // p.text == "No such user"
//
// Validation follows RFC 3463 (and Postfix's dsn_valid()): the class is 2, 4
// or 5, subject and detail are 1-3 digits. Anything else is not a code.
// All functions are noexcept, allocation-free (except to_string) and linear in
// the input.

#ifndef BOUNCE_STATUS_CODE_HPP_
#define BOUNCE_STATUS_CODE_HPP_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bounce/export.hpp"

namespace bounce {

/// An RFC 3463 enhanced status code `class.subject.detail`. A default-constructed
/// code is invalid (class 0) and means "none".
struct EnhancedCode {
  std::uint8_t klass = 0;     ///< 2 (success), 4 (persistent transient) or 5 (permanent); 0 = none
  std::uint16_t subject = 0;  ///< 0..999
  std::uint16_t detail = 0;   ///< 0..999

  /// True when the code holds a valid class (2, 4 or 5).
  constexpr bool valid() const noexcept { return klass == 2 || klass == 4 || klass == 5; }
  /// True for the catch-all X.0.0 that MTAs write when they know nothing better.
  constexpr bool generic() const noexcept { return subject == 0 && detail == 0; }
  /// "5.1.1", or "" for an invalid code.
  BOUNCE_EXPORT std::string to_string() const;
  /// Writes to_string()'s text at `out`, which has room for kMaxText bytes,
  /// and returns the end; no allocation. Nothing is written for an invalid code.
  ///   char buf[EnhancedCode::kMaxText];
  ///   std::string_view(buf, code.write(buf) - buf) == code.to_string()
  BOUNCE_EXPORT char* write(char* out) const noexcept;
  static constexpr std::size_t kMaxText = 13;  ///< "5.65535.65535"
  /// Parses exactly "C.S.D" (nothing before or after). std::nullopt when invalid.
  BOUNCE_EXPORT static std::optional<EnhancedCode> parse(std::string_view text) noexcept;

  friend constexpr bool operator==(const EnhancedCode&, const EnhancedCode&) = default;
};

/// The pieces of one SMTP reply as found in log text.
struct ReplyParts {
  int reply_code = 0;     ///< 200..599, or 0 when the text carries none
  EnhancedCode enhanced;  ///< invalid when the text carries none
  std::string_view text;  ///< the reply after its leading codes (a view into the input)
};

/// Finds the reply code and enhanced code in raw reply text; see the file
/// comment for the recognised shapes. When the codes do not lead the text, the
/// first well-formed enhanced code elsewhere in it is taken (`... (#5.1.1)`),
/// but a dotted quad such as an IP address is never mistaken for one.
BOUNCE_EXPORT ReplyParts split_reply(std::string_view raw) noexcept;

/// The class digit (2, 4, 5) of a basic reply code, or 0 when out of range.
constexpr int reply_class(int reply_code) noexcept {
  return reply_code >= 200 && reply_code <= 599 ? reply_code / 100 : 0;
}

}  // namespace bounce

#endif  // BOUNCE_STATUS_CODE_HPP_
