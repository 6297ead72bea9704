// The reader options `bounce parse` and `bounce report` share: one parser of
// --format, --year, --tz, --threads, --rules and --max-expansion, and one way
// of turning FILE arguments ('-' = standard input) into inputs.

#ifndef BOUNCE_CLI_READER_ARGUMENTS_HPP_
#define BOUNCE_CLI_READER_ARGUMENTS_HPP_

#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "bounce/reader.hpp"

namespace bounce::cli {

/// The valued option names reader_options() reads.
std::set<std::string> reader_option_names();

/// ReaderOptions from the shared options (classifier left unset). Throws
/// UsageError for an invalid value.
ReaderOptions reader_options(const Arguments& a);

/// The positional FILE arguments as inputs, rotated sets oldest first. '-' is
/// the process's standard input, or, when `in` is another stream (tests,
/// embedding), its bytes read into `stdin_bytes`, which must outlive the read.
std::vector<InputSource> input_sources(const Arguments& a, std::istream& in,
                                       std::string& stdin_bytes);

/// A warning for stderr when a --format given by the user parsed no line
/// (the input is probably another format), or "" when there is nothing to say.
std::string format_mismatch_warning(const ReaderOptions& options, const ParseStats& stats);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_READER_ARGUMENTS_HPP_
