// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/taxonomy.hpp - the closed vocabularies of a verdict.
//
// Every classification is expressed in five enumerations: BounceType, Reason,
// Action, Stage and Provider. Their spelling is the API: the same snake_case
// names appear in C++ (`Reason::user_unknown`), Python, JSON, CSV and in the
// rule files. Values are only ever appended, never renamed.
//
// CONVERTING:
//
//   std::string_view s = bounce::to_string(bounce::Reason::mailbox_full);
//   // s == "mailbox_full"
//   std::optional<bounce::Reason> r =
//       bounce::from_string<bounce::Reason>("rate_limited");
//   // r == Reason::rate_limited; an unknown name gives std::nullopt.
//   std::string_view why = bounce::describe(bounce::Reason::greylisted);
//
// Each enumeration's values are listed once, in the X-macros below, so that
// names, descriptions and iteration (`all_values<E>()`) cannot drift apart.
// All functions here are noexcept, allocation-free and O(1) except
// from_string, which is a linear scan over at most a few dozen names.

#ifndef BOUNCE_TAXONOMY_HPP_
#define BOUNCE_TAXONOMY_HPP_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "bounce/export.hpp"

namespace bounce {

// clang-format off
#define BOUNCE_BOUNCE_TYPES(X)                                                              \
  X(hard,    "permanent: retrying this message unchanged will not succeed")                \
  X(soft,    "temporary: a later retry can succeed")                                       \
  X(none,    "not a failure (delivered, or an event that is not a bounce)")                \
  X(unknown, "not enough evidence to tell")

#define BOUNCE_REASONS(X)                                                                   \
  X(user_unknown,           "the recipient mailbox does not exist")                        \
  X(domain_not_found,       "the recipient domain does not exist or accepts no mail (no MX, null MX)") \
  X(mailbox_disabled,       "the recipient mailbox is disabled or inactive")               \
  X(address_moved,          "the recipient has moved; the address is no longer served")    \
  X(invalid_address,        "the recipient address is syntactically invalid")             \
  X(mailbox_full,           "the recipient mailbox is over quota")                         \
  X(recipient_rate_limited, "the recipient is receiving mail too quickly")                 \
  X(auth_failure,           "SPF, DKIM, DMARC or ARC failed, or the mail is unauthenticated") \
  X(reverse_dns,            "the sending IP has no or a mismatching PTR record")           \
  X(blocklisted,            "the sending IP or domain is on a blocklist")                  \
  X(bad_reputation,         "the sender's IP or domain reputation is too low")             \
  X(rate_limited,           "the sender is throttled: volume, complaints or connections")  \
  X(spam_content,           "the message was judged to be spam")                           \
  X(virus_detected,         "the message carries malware")                                 \
  X(message_too_big,        "the message exceeds a size limit")                            \
  X(policy_violation,       "the message or sender violates the receiver's policy")        \
  X(not_rfc_compliant,      "the message is malformed (RFC 5322 headers, Message-ID, From)") \
  X(relay_denied,           "the server refuses to relay for this sender or recipient")    \
  X(sender_rejected,        "the envelope sender (MAIL FROM) was refused")                 \
  X(security_error,         "TLS was required or failed")                                  \
  X(client_auth_failed,     "our own SMTP credentials were rejected (535)")                \
  X(sender_quota,           "the sending account exceeded its sending limit")              \
  X(connection_failed,      "no SMTP connection: timeout, refused, unreachable, lost")     \
  X(dns_failure,            "a temporary DNS lookup failure")                              \
  X(greylisted,             "greylisted: the receiver asks for a later retry")             \
  X(remote_system_error,    "the receiving system is busy or out of resources")            \
  X(expired,                "the sending MTA gave up after retrying")                      \
  X(local_configuration,    "a problem in our own MTA: loops, unavailable transport")      \
  X(auto_reply,             "an auto-reply or out-of-office notice")                       \
  X(complaint,              "the recipient reported the message as spam")                  \
  X(suppressed,             "the provider did not send: the address is on a suppression list") \
  X(delivered,              "accepted by the receiving server")                            \
  X(unknown,                "the evidence did not identify a reason")

#define BOUNCE_ACTIONS(X)                                                                   \
  X(none,                     "nothing to do")                                             \
  X(retry,                    "retry later as usual")                                      \
  X(retry_with_backoff,       "retry later, more slowly")                                  \
  X(suppress_recipient,       "stop mailing this recipient address")                       \
  X(fix_recipient_address,    "correct the address (typo in the domain or local part)")    \
  X(fix_authentication,       "fix SPF, DKIM or DMARC alignment for the sending domain")   \
  X(fix_dns,                  "fix DNS for the sending infrastructure (PTR, MX, SOA)")     \
  X(request_delisting,        "find the listing and request removal from the blocklist")   \
  X(reduce_volume,            "slow down, warm up, or pause sending to this provider")     \
  X(review_content,           "review the message content, links and headers")             \
  X(reduce_message_size,      "send a smaller message")                                    \
  X(fix_client_configuration, "fix our SMTP client settings: credentials, port, TLS")      \
  X(contact_provider,         "contact the receiving provider or organisation")            \
  X(investigate,              "read the reply: no automatic remedy is known")

#define BOUNCE_STAGES(X)                                                                    \
  X(connection,       "connecting, greeting or HELO/EHLO")                                 \
  X(tls,              "STARTTLS negotiation")                                              \
  X(client_auth,      "SMTP AUTH of our own client")                                       \
  X(mail_from,        "the MAIL FROM command")                                             \
  X(rcpt_to,          "the RCPT TO command")                                               \
  X(data,             "the DATA command or the message transfer")                          \
  X(after_data,       "the reply to the end of DATA")                                      \
  X(after_acceptance, "after the receiver accepted the message (DSN or provider event)")   \
  X(unknown,          "the stage is not known")

#define BOUNCE_PROVIDERS(X)                                                                 \
  X(google,        "Gmail and Google Workspace")                                           \
  X(outlook,       "Microsoft consumer mail: outlook.com, hotmail, live, msn")            \
  X(microsoft_365, "Microsoft 365 / Exchange Online tenants")                             \
  X(yahoo,         "Yahoo and AOL (and AT&T consumer mail hosted by Yahoo)")              \
  X(apple,         "Apple iCloud mail (icloud.com, me.com, mac.com)")                     \
  X(comcast,       "Comcast / Xfinity")                                                   \
  X(cox,           "Cox Communications")                                                  \
  X(spectrum,      "Spectrum / Charter")                                                  \
  X(orange,        "Orange and La Poste (France)")                                        \
  X(gmx,           "GMX, web.de and IONOS / 1&1")                                         \
  X(mailru,        "Mail.ru")                                                             \
  X(yandex,        "Yandex")                                                              \
  X(qq,            "Tencent QQ mail")                                                     \
  X(netease,       "NetEase (163.com, 126.com, yeah.net)")                               \
  X(godaddy,       "GoDaddy (secureserver.net)")                                          \
  X(proofpoint,    "Proofpoint gateways (pphosted.com)")                                  \
  X(mimecast,      "Mimecast gateways")                                                   \
  X(barracuda,     "Barracuda gateways")                                                  \
  X(other,         "a known host or domain that is none of the above")                   \
  X(unknown,       "not identified")
// clang-format on

#define BOUNCE_ENUM_VALUE_(name, doc) name,

/// How final a failure is. See BOUNCE_BOUNCE_TYPES for each value's meaning.
enum class BounceType : std::uint8_t { BOUNCE_BOUNCE_TYPES(BOUNCE_ENUM_VALUE_) };
/// Why a delivery failed (or `delivered`). See BOUNCE_REASONS.
enum class Reason : std::uint8_t { BOUNCE_REASONS(BOUNCE_ENUM_VALUE_) };
/// What to do about it. See BOUNCE_ACTIONS.
enum class Action : std::uint8_t { BOUNCE_ACTIONS(BOUNCE_ENUM_VALUE_) };
/// Where in the delivery path it failed. See BOUNCE_STAGES.
enum class Stage : std::uint8_t { BOUNCE_STAGES(BOUNCE_ENUM_VALUE_) };
/// The mailbox provider behind the recipient. See BOUNCE_PROVIDERS.
enum class Provider : std::uint8_t { BOUNCE_PROVIDERS(BOUNCE_ENUM_VALUE_) };

#undef BOUNCE_ENUM_VALUE_

/// The snake_case name of a value, e.g. "user_unknown". Never empty.
BOUNCE_EXPORT std::string_view to_string(BounceType v) noexcept;
BOUNCE_EXPORT std::string_view to_string(Reason v) noexcept;
BOUNCE_EXPORT std::string_view to_string(Action v) noexcept;
BOUNCE_EXPORT std::string_view to_string(Stage v) noexcept;
BOUNCE_EXPORT std::string_view to_string(Provider v) noexcept;

/// A one-line English description of a value, for reports and help texts.
BOUNCE_EXPORT std::string_view describe(BounceType v) noexcept;
BOUNCE_EXPORT std::string_view describe(Reason v) noexcept;
BOUNCE_EXPORT std::string_view describe(Action v) noexcept;
BOUNCE_EXPORT std::string_view describe(Stage v) noexcept;
BOUNCE_EXPORT std::string_view describe(Provider v) noexcept;

/// Parses a name as spelled by to_string (exact, case-sensitive).
/// Returns std::nullopt for any other text. Specialised for the five enums.
template <class E>
std::optional<E> from_string(std::string_view name) noexcept;

/// Every value of an enumeration, in declaration order.
template <class E>
std::span<const E> all_values() noexcept;

#define BOUNCE_DECLARE_ENUM_FNS_(E)                                              \
  template <>                                                                    \
  BOUNCE_EXPORT std::optional<E> from_string<E>(std::string_view name) noexcept; \
  template <>                                                                    \
  BOUNCE_EXPORT std::span<const E> all_values<E>() noexcept;
BOUNCE_DECLARE_ENUM_FNS_(BounceType)
BOUNCE_DECLARE_ENUM_FNS_(Reason)
BOUNCE_DECLARE_ENUM_FNS_(Action)
BOUNCE_DECLARE_ENUM_FNS_(Stage)
BOUNCE_DECLARE_ENUM_FNS_(Provider)
#undef BOUNCE_DECLARE_ENUM_FNS_

/// The action a reason calls for when no rule names a more specific one
/// (user_unknown -> suppress_recipient, blocklisted -> request_delisting, ...).
BOUNCE_EXPORT Action default_action(Reason reason) noexcept;

/// True for the reasons that say the recipient address itself is bad
/// (user_unknown, domain_not_found, mailbox_disabled, address_moved,
/// invalid_address). Only these, when permanent, suppress the recipient.
BOUNCE_EXPORT bool is_address_problem(Reason reason) noexcept;

}  // namespace bounce

#endif  // BOUNCE_TAXONOMY_HPP_
