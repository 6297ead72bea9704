// One function per `bounce` sub-command. Each takes its own arguments (after
// the command name) and returns an exit code; usage errors are thrown as
// UsageError and bounce::Error is caught by the dispatcher.

#ifndef BOUNCE_CLI_COMMANDS_HPP_
#define BOUNCE_CLI_COMMANDS_HPP_

#include <iosfwd>
#include <string>
#include <vector>

namespace bounce::cli {

struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

int classify_command(const std::vector<std::string>& args, Streams io);
int parse_command(const std::vector<std::string>& args, Streams io);
int report_command(const std::vector<std::string>& args, Streams io);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_COMMANDS_HPP_
