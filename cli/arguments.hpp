// A small, strict command-line option reader: `--name value`, `--name=value`,
// boolean `--flag`, and positional arguments. Unknown options are usage errors.

#ifndef BOUNCE_CLI_ARGUMENTS_HPP_
#define BOUNCE_CLI_ARGUMENTS_HPP_

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace bounce::cli {

/// Thrown for a usage error; the CLI prints it and exits with code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  /// `valued` options take a value, `flags` do not. "-" alone is positional.
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& valued,
            const std::set<std::string>& flags);

  bool flag(const std::string& name) const { return flags_.count(name) != 0; }
  /// The last value given for an option.
  std::optional<std::string> value(const std::string& name) const;
  /// Every value given for a repeatable option, in order.
  std::vector<std::string> values(const std::string& name) const;
  std::string value_or(const std::string& name, const std::string& fallback) const {
    return value(name).value_or(fallback);
  }
  /// The value as an integer; UsageError when it is not one.
  std::optional<long long> integer(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::set<std::string> flags_;
  std::multimap<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_ARGUMENTS_HPP_
