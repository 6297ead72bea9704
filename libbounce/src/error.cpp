#include "bounce/error.hpp"

namespace bounce {

Error::Error(const std::string& what) : std::runtime_error(what) {}
Error::~Error() = default;

RuleError::RuleError(std::string file, std::size_t line, const std::string& message)
    : Error(file + ":" + std::to_string(line) + ": " + message),
      file_(std::move(file)),
      line_(line) {}
RuleError::~RuleError() = default;

InputError::~InputError() = default;

}  // namespace bounce
