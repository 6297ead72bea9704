// The `bounce` command line: `bounce <command> [options]`.
//
// Exit codes (documented in `bounce --help` and the README):
//   0  success
//   1  the input could not be processed (unreadable file, bad rule file, --strict failure)
//   2  usage error (unknown command or option, missing argument)

#ifndef BOUNCE_CLI_CLI_HPP_
#define BOUNCE_CLI_CLI_HPP_

#include <iosfwd>
#include <string>
#include <vector>

namespace bounce::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Runs the CLI with `args` (without the program name); never throws.
int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_CLI_HPP_
