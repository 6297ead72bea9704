// What changes when an MTA stops retrying a recipient (Postfix
// status=expired, Exim "retry timeout exceeded", Sendmail "Cannot send
// message for N days"): the record becomes `expired`. Used by the line
// parsers (an Exim line says it) and the correlators (a later line says it).

#ifndef BOUNCE_SRC_CLASSIFY_GIVE_UP_HPP_
#define BOUNCE_SRC_CLASSIFY_GIVE_UP_HPP_

#include "bounce/classifier.hpp"

namespace bounce {

/// The reason stays the last deferral's (why it never got through), but the
/// failure is now final and retrying is no longer the remedy. Not a reason to
/// suppress the address: the recipient may well exist.
inline void give_up(Classification& c) noexcept {
  if (c.reason == Reason::unknown) c.reason = Reason::expired;
  if (c.bounce_type == BounceType::soft || c.bounce_type == BounceType::unknown)
    c.bounce_type = BounceType::hard;
  if (c.action == Action::retry || c.action == Action::retry_with_backoff ||
      c.action == Action::none)
    c.action = Action::investigate;
  c.suppress_recipient = false;
}

}  // namespace bounce

#endif  // BOUNCE_SRC_CLASSIFY_GIVE_UP_HPP_
