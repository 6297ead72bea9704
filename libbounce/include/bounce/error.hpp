// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/error.hpp - the exceptions libbounce throws.
//
// libbounce throws only for problems the caller must fix: a missing or
// unreadable file, an invalid rule, an unknown format name. A malformed log
// line is never an exception: it is counted (and, if asked, reported) by the
// reader. Every exception derives from bounce::Error, itself a
// std::runtime_error, so one catch clause serves:
//
//   try {
//     bounce::Classifier c({.rule_files = {"my_rules.tsv"}});
//   } catch (const bounce::RuleError& e) {
//     std::cerr << e.what();   // "my_rules.tsv:7: unknown reason 'usr_unknown'"
//   } catch (const bounce::Error& e) { ... }

#ifndef BOUNCE_ERROR_HPP_
#define BOUNCE_ERROR_HPP_

#include <cstddef>
#include <stdexcept>
#include <string>

#include "bounce/export.hpp"

namespace bounce {

/// Base of every libbounce exception.
class BOUNCE_EXPORT Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what);
  ~Error() override;
};

/// A rule file (built-in or user supplied) could not be used. what() reads
/// "FILE:LINE: message"; file() and line() give the parts (line 0 = whole file).
class BOUNCE_EXPORT RuleError : public Error {
 public:
  RuleError(std::string file, std::size_t line, const std::string& message);
  ~RuleError() override;
  const std::string& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

/// An input could not be opened or read (missing file, directory, permission,
/// corrupt compressed stream). what() names the path.
class BOUNCE_EXPORT InputError : public Error {
 public:
  using Error::Error;
  ~InputError() override;
};

}  // namespace bounce

#endif  // BOUNCE_ERROR_HPP_
