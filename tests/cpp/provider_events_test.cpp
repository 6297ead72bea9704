// Provider events (SES, SendGrid, Mailgun, Postmark, SparkPost): golden
// records, and the line accounting of corpus/samples/providers.md.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "bounce/error.hpp"
#include "bounce/reader.hpp"
#include "log_generator.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using testing_util::ExpectSameLines;
using testing_util::Gzip;
using testing_util::Lines;
using testing_util::ReadAll;
using testing_util::ReadResult;
using testing_util::ReadSourceFile;

struct ProviderSample {
  const char* path;  // under corpus/samples
  std::uint64_t records, parsed, ignored, unparsed;
};

class ProviderGolden : public testing::TestWithParam<ProviderSample> {};

TEST_P(ProviderGolden, MatchesTheReviewedOutputAndCounts) {
  const ProviderSample& p = GetParam();
  const std::string path = p.path;
  const std::string dir = path.substr(0, path.find('/')), name = path.substr(path.find('/') + 1);
  // NDJSON is read chunk by chunk as it comes (on workers with two threads):
  // any chunk size and thread count gives the same.
  for (const auto& [chunk, threads] :
       {std::pair{std::size_t{8} << 20, 1u}, std::pair{std::size_t{4096}, 1u},
        std::pair{std::size_t{4096}, 2u}}) {
    ReaderOptions o;  // the format is recognised from the content
    o.chunk_size = chunk;
    o.threads = threads;
    const auto got =
        ReadAll({InputSource::memory(name, ReadSourceFile("corpus/samples/" + path))}, o);
    ExpectSameLines(got.jsonl,
                    Lines(ReadSourceFile("corpus/samples/" + dir + "/expected/" + name + ".jsonl")),
                    path);
    EXPECT_EQ(got.stats.records, p.records) << path;
    EXPECT_EQ(got.stats.parsed, p.parsed) << path;
    EXPECT_EQ(got.stats.ignored, p.ignored) << path;
    EXPECT_EQ(got.stats.unparsed, p.unparsed) << path;
    EXPECT_EQ(got.stats.lines, p.parsed + p.ignored + p.unparsed) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Samples, ProviderGolden,
                         testing::Values(ProviderSample{"ses/sns_notifications.json", 9, 9, 2, 0},
                                         ProviderSample{"ses/events.ndjson", 11, 8, 3, 0},
                                         ProviderSample{"sendgrid/webhook.json", 9, 9, 6, 0},
                                         ProviderSample{"sendgrid/webhook2.json", 4, 4, 2, 0},
                                         ProviderSample{"mailgun/webhooks.ndjson", 10, 10, 3, 0},
                                         ProviderSample{"mailgun/events_api.json", 4, 4, 1, 0},
                                         ProviderSample{"postmark/bounce_webhooks.ndjson", 23, 23,
                                                        3, 0},
                                         ProviderSample{"postmark/bounces_api.json", 5, 5, 0, 0},
                                         ProviderSample{"sparkpost/webhook.json", 24, 24, 6, 0},
                                         ProviderSample{"sparkpost/events_api.json", 5, 5, 2, 0},
                                         ProviderSample{"mixed/mixed.ndjson", 6, 6, 0, 1}),
                         [](const auto& p) {
                           std::string n;
                           for (char c : std::string_view(p.param.path))
                             n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

TEST(ProviderEvents, MalformedLineIsNamedAndReadingGoesOn) {
  ReaderOptions o;
  std::vector<std::uint64_t> bad;
  o.on_diagnostic = [&](const Diagnostic& d) { bad.push_back(d.line); };
  const auto got = ReadAll(
      {InputSource::memory("mixed.ndjson", ReadSourceFile("corpus/samples/mixed/mixed.ndjson"))},
      o);
  EXPECT_EQ(bad, (std::vector<std::uint64_t>{4}));
  EXPECT_EQ(got.jsonl.size(), 6u);  // the lines after the broken one are still read
}

TEST(ProviderEvents, VerdictsKeepTheProvidersOwnLabel) {
  const auto got = ReadAll(
      {InputSource::memory("s.json", ReadSourceFile("corpus/samples/ses/sns_notifications.json"))},
      ReaderOptions{});
  std::string all;
  for (const auto& line : got.jsonl) all += line;
  EXPECT_NE(all.find("\"status\":\"Permanent/NoEmail\""), std::string::npos);
  EXPECT_NE(all.find("\"status\":\"Transient/MailboxFull\""), std::string::npos);
  EXPECT_NE(all.find("\"outcome\":\"complaint\""), std::string::npos);
}

TEST(ProviderEvents, CompressedInputAndFinalView) {
  const std::string text = ReadSourceFile("corpus/samples/sendgrid/webhook.json");
  ReaderOptions o;
  const auto plain = ReadAll({InputSource::memory("w.json", text)}, o);
  EXPECT_EQ(ReadAll({InputSource::memory("w.json", Gzip(text))}, o).jsonl, plain.jsonl);
  // The final view keeps the last event per (message, recipient).
  const std::string two_events =
      R"({"event":"deferred","email":"a@example.com","timestamp":1,"sg_message_id":"m1.x","response":"451 4.7.1 greylisted"})"
      "\n"
      R"({"event":"delivered","email":"a@example.com","timestamp":2,"sg_message_id":"m1.x","response":"250 OK"})"
      "\n";
  EXPECT_EQ(ReadAll({InputSource::memory("e", two_events)}, o).jsonl.size(), 2u);
  o.view = View::final;
  const auto final_view = ReadAll({InputSource::memory("e", two_events)}, o);
  ASSERT_EQ(final_view.jsonl.size(), 1u);
  EXPECT_NE(final_view.jsonl[0].find("\"outcome\":\"delivered\""), std::string::npos);
}

// Numbers no event has (found by the fuzzer: a timestamp of 1.7e14 seconds
// overflowed the conversion to microseconds) leave the field unset; the event
// is still a record and its neighbours are read as usual.
TEST(ProviderEvents, NumbersOutOfRangeLeaveTheFieldUnset) {
  const std::string events =
      R"({"event":"deferred","email":"a@example.com","timestamp":175801234567890,"sg_message_id":"m1.x","attempt":99999999999,"response":"451 4.7.1 greylisted"})"
      "\n"
      R"({"event":"deferred","email":"b@example.com","timestamp":"99999999999999999999999","sg_message_id":"m2.x","attempt":"-3","response":"451 4.7.1 greylisted"})"
      "\n"
      R"({"event":"deferred","email":"c@example.com","timestamp":"1758012345.5","sg_message_id":"m3.x","attempt":"7","response":"451 4.7.1 greylisted"})"
      "\n"
      R"({"type":"bounce","rcpt_to":"d@example.com","timestamp":1758012345,"message_id":"m4","num_retries":2147483647,"error_code":1e300,"bounce_class":"10","raw_reason":"550 5.1.1 unknown user"})"
      "\n";
  const auto got = ReadAll({InputSource::memory("e.ndjson", events)}, ReaderOptions{});
  ASSERT_EQ(got.jsonl.size(), 4u);
  EXPECT_EQ(got.stats.parsed, 4u);
  for (int i : {0, 1}) {
    EXPECT_NE(got.jsonl[i].find("\"time\":null"), std::string::npos) << got.jsonl[i];
    EXPECT_NE(got.jsonl[i].find("\"attempt\":1,"), std::string::npos) << got.jsonl[i];
  }
  EXPECT_NE(got.jsonl[2].find("\"time\":\"2025-09-16T08:45:45.500000Z\""), std::string::npos);
  EXPECT_NE(got.jsonl[2].find("\"attempt\":7,"), std::string::npos);
  // SparkPost: the reply code comes from the text when error_code is absurd.
  EXPECT_NE(got.jsonl[3].find("\"attempt\":1,"), std::string::npos) << got.jsonl[3];
  EXPECT_NE(got.jsonl[3].find("\"reply_code\":550"), std::string::npos) << got.jsonl[3];
  EXPECT_NE(got.jsonl[3].find("\"status\":\"bounce_class 10\""), std::string::npos);
}

// Amazon SES events (NDJSON) of `messages` generated messages, a few of them
// to unknown users.
std::string GeneratedSesEvents(std::uint64_t messages) {
  corpus::LogGenerator::Options g;
  g.format = "ses";
  g.messages = messages;
  g.scenarios.stale_list = true;
  std::string ndjson;
  corpus::LogGenerator(g).run([&](std::string_view chunk) { ndjson += chunk; });
  return ndjson;
}

// A file that is one JSON array is read element by element as its chunks
// come (not kept whole): the same records as the same events as NDJSON, in
// any chunk size; a cut array keeps its complete elements and counts the rest.
TEST(ProviderEvents, ArrayFilesAreReadElementByElement) {
  const std::string ndjson = GeneratedSesEvents(3000);
  std::string array = "[\n";
  for (const std::string& line : Lines(ndjson)) array += (array.size() > 2 ? ",\n  " : "  ") + line;
  array += "\n]\n";
  const ReadResult lines = ReadAll({InputSource::memory("events.ndjson", ndjson)}, ReaderOptions{});
  ASSERT_GT(lines.jsonl.size(), 3000u);
  for (const std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
    ReaderOptions o;
    o.chunk_size = chunk;
    const ReadResult got = ReadAll({InputSource::memory("events.json", array)}, o);
    EXPECT_EQ(got.stats.records, lines.stats.records);
    EXPECT_EQ(got.stats.parsed, lines.stats.parsed);
    EXPECT_EQ(got.stats.unparsed, 0u);
    ASSERT_EQ(got.jsonl.size(), lines.jsonl.size());
    // The same records but for provenance: line numbers vs element indexes.
    EXPECT_EQ(got.jsonl.front().substr(0, 200), lines.jsonl.front().substr(0, 200));
  }
  const std::string cut = array.substr(0, array.size() / 2);
  ReaderOptions o;
  o.chunk_size = 4096;
  const ReadResult got = ReadAll({InputSource::memory("cut.json", cut)}, o);
  EXPECT_GT(got.stats.records, 1000u);
  EXPECT_EQ(got.stats.unparsed, 1u);
  EXPECT_EQ(got.stats.lines, got.stats.parsed + got.stats.ignored + got.stats.unparsed);
}

// NDJSON past the first chunk is parsed on workers with two threads: the same
// records, statistics and diagnostics (with their absolute line numbers).
TEST(ProviderEvents, NdjsonOnWorkersMatchesOneThread) {
  std::string ndjson = GeneratedSesEvents(4000);
  // A broken line far past the detection window.
  const std::size_t at = ndjson.find('\n', ndjson.size() * 3 / 4) + 1;
  const auto broken_line =
      static_cast<std::uint64_t>(
          std::count(ndjson.begin(), ndjson.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
      1;
  ndjson.insert(at, "{\"eventType\": \"Bounce\", broken\n");
  ASSERT_GT(ndjson.size(), 1000000u);
  std::vector<std::vector<std::uint64_t>> diagnostics;
  std::vector<ReadResult> results;
  for (const unsigned threads : {1u, 2u}) {
    ReaderOptions o;
    o.chunk_size = 4096;
    o.threads = threads;
    diagnostics.emplace_back();
    o.on_diagnostic = [&](const Diagnostic& d) { diagnostics.back().push_back(d.line); };
    results.push_back(ReadAll({InputSource::memory("events.ndjson", ndjson)}, o));
  }
  EXPECT_EQ(results[1].jsonl, results[0].jsonl);
  EXPECT_EQ(results[1].stats.lines, results[0].stats.lines);
  EXPECT_EQ(results[1].stats.parsed, results[0].stats.parsed);
  EXPECT_EQ(results[1].stats.ignored, results[0].stats.ignored);
  EXPECT_EQ(results[1].stats.unparsed, 1u);
  EXPECT_EQ(results[1].stats.bytes, ndjson.size());
  EXPECT_EQ(diagnostics[0], (std::vector<std::uint64_t>{broken_line}));
  EXPECT_EQ(diagnostics[1], diagnostics[0]);
}

// The values a reader has to build rather than point to: a folded
// multi-line reply, a lower-cased domain, a verdict of two labels, and the
// mail's time for an event without its own; the same on one thread and
// through the workers' per-chunk copies.
TEST(ProviderEvents, BuiltValuesSurviveEveryPath) {
  const std::string bounce =
      R"({"eventType":"Bounce","mail":{"timestamp":"2025-09-15T12:00:00.101Z","messageId":"m-1",)"
      R"("destination":["Ana@Example.COM"]},"bounce":{"bounceType":"Permanent",)"
      R"("bounceSubType":"General","bouncedRecipients":[{"emailAddress":"Ana@Example.COM",)"
      R"("status":"5.1.1","diagnosticCode":"smtp; 550-5.1.1 The email account that you tried )"
      R"(to reach does not exist. \r\n 550 5.1.1 Please try again  - gsmtp"}]}})"
      "\n";
  std::string text;
  for (int i = 0; i < 40; ++i) text += bounce;  // 40 lines over about 12 chunks of 4 KB
  for (const unsigned threads : {1u, 2u}) {
    ReaderOptions o;
    o.chunk_size = 4096;
    o.threads = threads;
    std::vector<OwnedRecord> got;
    Reader(o).read(std::vector{InputSource::memory("b.ndjson", text)},
                   [&](const Record& r) { got.emplace_back(r); });
    ASSERT_EQ(got.size(), 40u) << threads;
    for (const OwnedRecord& r : got) {
      EXPECT_EQ(r->reply_text,
                "550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 "
                "Please try again  - gsmtp");
      EXPECT_EQ(r->reply_code, 550);
      EXPECT_EQ(r->recipient, "Ana@Example.COM");
      EXPECT_EQ(r->recipient_domain, "example.com");
      EXPECT_EQ(r->status, "Permanent/General");
      EXPECT_EQ(r->enhanced_code, "5.1.1");
      EXPECT_EQ(r->message_key, "m-1");
      ASSERT_TRUE(r->has_time);
      EXPECT_EQ(r->time_us, 1757937600101000);  // the mail's timestamp
      EXPECT_EQ(r->classification.reason, Reason::user_unknown);
    }
  }
}

// In the final view a message is one provider's: a SendGrid and a SparkPost
// event under the same id and recipient are two records.
TEST(ProviderEvents, FinalViewKeepsProvidersApart) {
  const std::string events =
      R"({"event":"delivered","email":"a@example.com","timestamp":1,"sg_message_id":"m1.x","response":"250 OK"})"
      "\n"
      R"({"type":"bounce","rcpt_to":"a@example.com","message_id":"m1","bounce_class":"10","raw_reason":"550 5.1.1 no such user","timestamp":"2"})"
      "\n"
      R"({"event":"deferred","email":"a@example.com","timestamp":3,"sg_message_id":"m1.y","response":"451 4.7.1 try later"})"
      "\n";
  ReaderOptions o;
  o.view = View::final;
  std::vector<OwnedRecord> got;
  Reader(o).read(std::vector{InputSource::memory("e.ndjson", events)},
                 [&](const Record& r) { got.emplace_back(r); });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]->format, Format::sendgrid);  // first seen first, with its last event
  EXPECT_EQ(got[0]->outcome, Outcome::deferred);
  EXPECT_EQ(got[1]->format, Format::sparkpost);
  EXPECT_EQ(got[1]->outcome, Outcome::bounced);
}

// The final view keeps at most max_open_messages (message, recipient) pairs:
// the one seen first goes out early, and a later event of it is a new record.
TEST(ProviderEvents, FinalViewIsBoundedOldestOut) {
  const auto event = [](const char* id, const char* event_name, int t) {
    return std::string(R"({"event":")") + event_name + R"(","email":"a@example.com","timestamp":)" +
           std::to_string(t) + R"(,"sg_message_id":")" + id + R"(.x","response":"250 OK"})" + "\n";
  };
  const std::string events = event("m1", "deferred", 1) + event("m2", "delivered", 2) +
                             event("m1", "delivered", 3) + event("m3", "delivered", 4) +
                             event("m1", "bounce", 5);
  ReaderOptions o;
  o.view = View::final;
  o.max_open_messages = 2;
  std::vector<OwnedRecord> got;
  const ParseStats stats = Reader(o).read(std::vector{InputSource::memory("e.ndjson", events)},
                                          [&](const Record& r) { got.emplace_back(r); });
  // m3 evicts m1 (its delivery kept), the later m1 event evicts m2.
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0]->message_key, "m1");
  EXPECT_EQ(got[0]->outcome, Outcome::delivered);
  EXPECT_EQ(got[1]->message_key, "m2");
  EXPECT_EQ(got[2]->message_key, "m3");
  EXPECT_EQ(got[3]->message_key, "m1");
  EXPECT_EQ(got[3]->outcome, Outcome::bounced);
  EXPECT_EQ(stats.evicted_messages, 2u);
  EXPECT_EQ(stats.records, 4u);
  // Unbounded (the default), the same events are three records.
  o.max_open_messages = ReaderOptions{}.max_open_messages;
  EXPECT_EQ(Reader(o)
                .read(std::vector{InputSource::memory("e.ndjson", events)}, [](const Record&) {})
                .records,
            3u);
}

TEST(FormatDetection, UnknownInputIsAClearErrorAndEachMtaIsRecognised) {
  try {
    ReadAll({InputSource::memory("notes.txt", std::string("hello\nworld\n"))}, ReaderOptions{});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("notes.txt: cannot recognise the format"),
              std::string::npos)
        << e.what();
  }
  const std::string sendmail =
      "Sep 14 11:59:34 host sm-mta[7425]: l8E3xVpO007423: to=<a@b.example>, delay=00:00:03, "
      "mailer=esmtp, dsn=5.1.1, stat=User unknown\n";
  EXPECT_EQ(ReadAll({InputSource::memory("maillog", sendmail)}, ReaderOptions{}).jsonl.size(), 1u);
  EXPECT_EQ(ReadAll({InputSource::memory("empty", std::string())}, ReaderOptions{}).stats.lines,
            0u);
}

}  // namespace
}  // namespace bounce
