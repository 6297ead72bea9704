// Dispatch of `bounce <command>`, help, version, and the error-to-exit-code map.

#include "cli.hpp"

#include <iostream>

#include "arguments.hpp"
#include "bounce/error.hpp"
#include "bounce/version.hpp"
#include "commands.hpp"

namespace bounce::cli {
namespace {

constexpr const char* kUsage = R"(usage: bounce <command> [options]

Read mail-server logs and provider events; classify every delivery attempt.

commands:
  report FILE...        diagnose delivery problems: findings, evidence, actions
  parse FILE...         parse mail logs into classified per-recipient records
  classify TEXT...      classify SMTP replies given as arguments
  classify -            classify one reply per line from standard input

run 'bounce <command> --help' for a command's options.

exit codes: 0 success, 1 input could not be processed, 2 usage error
)";

}  // namespace

int run(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
        std::ostream& err) {
  if (args.empty()) {
    err << kUsage;
    return kExitUsage;
  }
  const std::string& command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const Streams io{in, out, err};
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      out << kUsage;
      return kExitOk;
    }
    if (command == "--version") {
      out << "bounce " << version() << '\n';
      return kExitOk;
    }
    if (command == "classify") return classify_command(rest, io);
    if (command == "parse") return parse_command(rest, io);
    if (command == "report") return report_command(rest, io);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    err << "bounce: " << e.what() << "\n(run 'bounce --help' for usage)\n";
    return kExitUsage;
  } catch (const Error& e) {
    err << "bounce: " << e.what() << '\n';
    return kExitFailure;
  } catch (const std::exception& e) {
    err << "bounce: internal error: " << e.what() << '\n';
    return kExitFailure;
  }
}

}  // namespace bounce::cli
