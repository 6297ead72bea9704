#include "bounce/version.hpp"

namespace bounce {
std::string_view version() noexcept { return BOUNCE_VERSION_STRING; }
}  // namespace bounce
