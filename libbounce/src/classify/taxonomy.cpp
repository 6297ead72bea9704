// Names, descriptions and iteration for the taxonomy enums, all generated
// from the X-macro lists in bounce/taxonomy.hpp.

#include "bounce/taxonomy.hpp"

#include "bounce/record.hpp"

#include <array>

namespace bounce {
namespace {

template <class E>
struct EnumInfo {
  E value;
  std::string_view name;
  std::string_view doc;
};

#define BOUNCE_INFO_ROW_(name, doc) {E::name, #name, doc},

// One table per enumeration; indexable by the enum's underlying value because
// the rows are generated in declaration order.
#define BOUNCE_DEFINE_TABLE_(Enum, LIST)                            \
  template <>                                                       \
  struct Table<Enum> {                                              \
    using E = Enum;                                                 \
    static constexpr EnumInfo<E> rows[] = {LIST(BOUNCE_INFO_ROW_)}; \
  };

template <class E>
struct Table;
BOUNCE_DEFINE_TABLE_(BounceType, BOUNCE_BOUNCE_TYPES)
BOUNCE_DEFINE_TABLE_(Reason, BOUNCE_REASONS)
BOUNCE_DEFINE_TABLE_(Action, BOUNCE_ACTIONS)
BOUNCE_DEFINE_TABLE_(Stage, BOUNCE_STAGES)
BOUNCE_DEFINE_TABLE_(Provider, BOUNCE_PROVIDERS)
BOUNCE_DEFINE_TABLE_(Outcome, BOUNCE_OUTCOMES)
BOUNCE_DEFINE_TABLE_(Format, BOUNCE_FORMATS)
#undef BOUNCE_DEFINE_TABLE_
#undef BOUNCE_INFO_ROW_

template <class E>
constexpr const EnumInfo<E>& row(E v) noexcept {
  return Table<E>::rows[static_cast<std::size_t>(v)];
}

template <class E>
constexpr auto values_of() noexcept {
  constexpr std::size_t n = std::size(Table<E>::rows);
  std::array<E, n> out{};
  for (std::size_t i = 0; i < n; ++i) out[i] = Table<E>::rows[i].value;
  return out;
}

template <class E>
constexpr bool rows_in_order() noexcept {
  for (std::size_t i = 0; i < std::size(Table<E>::rows); ++i)
    if (static_cast<std::size_t>(Table<E>::rows[i].value) != i) return false;
  return true;
}
static_assert(rows_in_order<Reason>() && rows_in_order<Action>() && rows_in_order<Stage>() &&
              rows_in_order<Provider>() && rows_in_order<BounceType>() &&
              rows_in_order<Outcome>() && rows_in_order<Format>());

template <class E>
std::optional<E> parse(std::string_view name) noexcept {
  for (const auto& r : Table<E>::rows)
    if (r.name == name) return r.value;
  return std::nullopt;
}

}  // namespace

#define BOUNCE_DEFINE_ENUM_FNS_(E)                                  \
  std::string_view to_string(E v) noexcept { return row(v).name; }  \
  std::string_view describe(E v) noexcept { return row(v).doc; }    \
  template <>                                                       \
  std::optional<E> from_string<E>(std::string_view name) noexcept { \
    return parse<E>(name);                                          \
  }                                                                 \
  template <>                                                       \
  std::span<const E> all_values<E>() noexcept {                     \
    static constexpr auto values = values_of<E>();                  \
    return values;                                                  \
  }
BOUNCE_DEFINE_ENUM_FNS_(BounceType)
BOUNCE_DEFINE_ENUM_FNS_(Reason)
BOUNCE_DEFINE_ENUM_FNS_(Action)
BOUNCE_DEFINE_ENUM_FNS_(Stage)
BOUNCE_DEFINE_ENUM_FNS_(Provider)
BOUNCE_DEFINE_ENUM_FNS_(Outcome)
BOUNCE_DEFINE_ENUM_FNS_(Format)
#undef BOUNCE_DEFINE_ENUM_FNS_

Action default_action(Reason reason) noexcept {
  switch (reason) {
    case Reason::user_unknown:
    case Reason::domain_not_found:
    case Reason::mailbox_disabled:
    case Reason::address_moved:
    case Reason::invalid_address:
    case Reason::complaint:
    case Reason::suppressed:
      return Action::suppress_recipient;
    case Reason::mailbox_full:
    case Reason::connection_failed:
    case Reason::dns_failure:
    case Reason::greylisted:
    case Reason::remote_system_error:
      return Action::retry;
    case Reason::recipient_rate_limited:
      return Action::retry_with_backoff;
    case Reason::auth_failure:
      return Action::fix_authentication;
    case Reason::reverse_dns:
      return Action::fix_dns;
    case Reason::blocklisted:
      return Action::request_delisting;
    case Reason::bad_reputation:
    case Reason::rate_limited:
    case Reason::sender_quota:
      return Action::reduce_volume;
    case Reason::spam_content:
    case Reason::virus_detected:
    case Reason::not_rfc_compliant:
      return Action::review_content;
    case Reason::message_too_big:
      return Action::reduce_message_size;
    case Reason::security_error:
    case Reason::client_auth_failed:
      return Action::fix_client_configuration;
    case Reason::auto_reply:
    case Reason::delivered:
      return Action::none;
    case Reason::policy_violation:
    case Reason::relay_denied:
    case Reason::sender_rejected:
    case Reason::expired:
    case Reason::local_configuration:
    case Reason::unknown:
      return Action::investigate;
  }
  return Action::investigate;
}

bool is_address_problem(Reason reason) noexcept {
  switch (reason) {
    case Reason::user_unknown:
    case Reason::domain_not_found:
    case Reason::mailbox_disabled:
    case Reason::address_moved:
    case Reason::invalid_address:
      return true;
    default:
      return false;
  }
}

}  // namespace bounce
