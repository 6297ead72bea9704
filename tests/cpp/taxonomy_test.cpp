#include "bounce/taxonomy.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace bounce {
namespace {

template <class E>
void ExpectRoundTrip(std::size_t expected_count) {
  std::set<std::string_view> names;
  for (const E v : all_values<E>()) {
    const std::string_view name = to_string(v);
    EXPECT_FALSE(name.empty());
    EXPECT_FALSE(describe(v).empty()) << name;
    EXPECT_EQ(from_string<E>(name), v) << name;
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    for (char c : name)
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << name;
  }
  EXPECT_EQ(names.size(), expected_count);
  EXPECT_FALSE(from_string<E>("").has_value());
  EXPECT_FALSE(from_string<E>("no_such_value").has_value());
}

TEST(Taxonomy, EveryEnumRoundTrips) {
  ExpectRoundTrip<BounceType>(4);
  ExpectRoundTrip<Reason>(33);
  ExpectRoundTrip<Action>(14);
  ExpectRoundTrip<Stage>(9);
  ExpectRoundTrip<Provider>(20);
}

TEST(Taxonomy, NamesMatchTheDocumentedSpelling) {
  EXPECT_EQ(to_string(Reason::user_unknown), "user_unknown");
  EXPECT_EQ(to_string(Reason::recipient_rate_limited), "recipient_rate_limited");
  EXPECT_EQ(to_string(Action::fix_client_configuration), "fix_client_configuration");
  EXPECT_EQ(to_string(Stage::after_acceptance), "after_acceptance");
  EXPECT_EQ(to_string(Provider::microsoft_365), "microsoft_365");
  EXPECT_EQ(from_string<Reason>("USER_UNKNOWN"), std::nullopt) << "names are case-sensitive";
}

TEST(Taxonomy, DefaultActionsFollowTheTriageTable) {
  EXPECT_EQ(default_action(Reason::user_unknown), Action::suppress_recipient);
  EXPECT_EQ(default_action(Reason::mailbox_full), Action::retry);
  EXPECT_EQ(default_action(Reason::auth_failure), Action::fix_authentication);
  EXPECT_EQ(default_action(Reason::blocklisted), Action::request_delisting);
  EXPECT_EQ(default_action(Reason::rate_limited), Action::reduce_volume);
  EXPECT_EQ(default_action(Reason::client_auth_failed), Action::fix_client_configuration);
  EXPECT_EQ(default_action(Reason::delivered), Action::none);
}

TEST(Taxonomy, OnlyAddressProblemsAreAddressProblems) {
  std::set<Reason> address;
  for (Reason r : all_values<Reason>())
    if (is_address_problem(r)) address.insert(r);
  EXPECT_EQ(address, (std::set<Reason>{Reason::user_unknown, Reason::domain_not_found,
                                       Reason::mailbox_disabled, Reason::address_moved,
                                       Reason::invalid_address}));
}

}  // namespace
}  // namespace bounce
