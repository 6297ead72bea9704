// Every string view of a Record, for the code that copies a record's text
// somewhere it owns (OwnedRecord, the provider reader's per-chunk arena).

#ifndef BOUNCE_SRC_RECORD_VIEWS_HPP_
#define BOUNCE_SRC_RECORD_VIEWS_HPP_

#include <array>
#include <string_view>

#include "bounce/record.hpp"

namespace bounce {

// Listed once, so that no copy can miss one. (std::to_array sizes the array
// from the list: a declared size could leave a null member pointer at the
// end, which reads out of bounds.)
inline constexpr auto kRecordViews =
    std::to_array<std::string_view Record::*>({&Record::time_text,
                                               &Record::host,
                                               &Record::message_key,
                                               &Record::origin_key,
                                               &Record::message_id,
                                               &Record::sender,
                                               &Record::client_host,
                                               &Record::client_ip,
                                               &Record::recipient,
                                               &Record::orig_recipient,
                                               &Record::recipient_domain,
                                               &Record::relay_host,
                                               &Record::relay_ip,
                                               &Record::sending_ip,
                                               &Record::status,
                                               &Record::enhanced_code,
                                               &Record::reply_text,
                                               &Record::diagnostic,
                                               &Record::phase,
                                               &Record::delays,
                                               &Record::tls,
                                               &Record::file});

/// Calls f(std::string_view&) on every view of `r`, the classification's
/// too (they point into the Classifier, which a copy may outlive).
template <class F>
void for_each_view(Record& r, F&& f) {
  for (auto member : kRecordViews) f(r.*member);
  f(r.classification.detail);
  f(r.classification.rule.id);
  f(r.classification.rule.source);
}

}  // namespace bounce

#endif  // BOUNCE_SRC_RECORD_VIEWS_HPP_
