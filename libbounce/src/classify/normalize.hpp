// normalize_reply's work without a string of its own: the classifier builds
// its cache key in a buffer it reuses (see classifier.cpp).
#ifndef BOUNCE_SRC_CLASSIFY_NORMALIZE_HPP_
#define BOUNCE_SRC_CLASSIFY_NORMALIZE_HPP_

#include <string>
#include <string_view>

namespace bounce {

/// Appends normalize_reply(text) to `out`. Cost: one pass over `text`; no
/// allocation once `out` has the capacity.
void append_normalized_reply(std::string_view text, std::string& out);

}  // namespace bounce

#endif  // BOUNCE_SRC_CLASSIFY_NORMALIZE_HPP_
