// Copyright libbounce authors. SPDX-License-Identifier: Apache-2.0
//
// bounce/bounce.hpp - libbounce, the whole public API in one include.
//
// libbounce reads mail-server logs and provider event exports and says, for
// every delivery attempt, what happened, why, and what to do about it.
//
// CLASSIFYING ONE REPLY (bounce/classifier.hpp):
//
//   #include <bounce/bounce.hpp>
//
//   const bounce::Classifier classifier;   // compile the rules once, share it
//   auto c = classifier.classify("452 4.2.2 The recipient's inbox is out of storage space.",
//                                {.remote_host = "gmail-smtp-in.l.google.com"});
//   if (c.suppress_recipient) { /* stop mailing this address */ }
//   std::cout << bounce::to_string(c.reason) << " -> " << bounce::to_string(c.action);
//   // prints "mailbox_full -> retry"
//
// THE VOCABULARY (bounce/taxonomy.hpp): BounceType, Reason, Action, Stage and
// Provider, each with to_string / from_string / describe / all_values.
//
// CODES (bounce/status_code.hpp): split_reply() finds the reply code and the
// RFC 3463 enhanced code in any logged reply shape.
//
// ERRORS (bounce/error.hpp): exceptions derived from bounce::Error, thrown only
// for what the caller must fix (bad rule file, unreadable input).
//
// LINKING: find_package(libbounce CONFIG REQUIRED) and link bounce::bounce,
// or pkg-config libbounce. Public headers use only the standard library.

#ifndef BOUNCE_BOUNCE_HPP_
#define BOUNCE_BOUNCE_HPP_

#include "bounce/classifier.hpp"
#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "bounce/record.hpp"
#include "bounce/report.hpp"
#include "bounce/status_code.hpp"
#include "bounce/taxonomy.hpp"
#include "bounce/version.hpp"

#endif  // BOUNCE_BOUNCE_HPP_
