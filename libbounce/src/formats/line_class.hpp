// Where a line (or, for JSON, an event) lands in the statistics.

#ifndef BOUNCE_SRC_FORMATS_LINE_CLASS_HPP_
#define BOUNCE_SRC_FORMATS_LINE_CLASS_HPP_

#include <cstdint>

namespace bounce::formats {

enum class LineClass : std::uint8_t { parsed, ignored, unparsed };

}  // namespace bounce::formats

#endif  // BOUNCE_SRC_FORMATS_LINE_CLASS_HPP_
