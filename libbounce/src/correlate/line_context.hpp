// Where a line came from, with its resolved time: what every correlator
// needs to stamp the records that line decides.

#ifndef BOUNCE_SRC_CORRELATE_LINE_CONTEXT_HPP_
#define BOUNCE_SRC_CORRELATE_LINE_CONTEXT_HPP_

#include <cstdint>
#include <string_view>

#include "bounce/record.hpp"

namespace bounce::correlate {

struct LineContext {
  std::int64_t time_us = 0;
  bool has_time = false;
  std::string_view time_text;
  std::string_view host;
  std::string_view file;
  std::uint64_t line = 0;
};

/// Copies the line's time and provenance into `r`.
inline void stamp(Record& r, const LineContext& ctx) noexcept {
  r.time_us = ctx.time_us;
  r.has_time = ctx.has_time;
  r.time_text = ctx.time_text;
  r.host = ctx.host;
  r.file = ctx.file;
  r.line = ctx.line;
}

/// A record of `format` decided by the line at `ctx`.
inline Record record_at(Format format, const LineContext& ctx) noexcept {
  Record r;
  r.format = format;
  stamp(r, ctx);
  return r;
}

}  // namespace bounce::correlate

#endif  // BOUNCE_SRC_CORRELATE_LINE_CONTEXT_HPP_
