// Exchange message tracking: CSV rows, column maps, status lists, and the
// golden records and line accounting of corpus/samples/exchange (checked
// against its README).

#include <gtest/gtest.h>

#include <map>

#include "bounce/reader.hpp"
#include "formats/exchange_parser.hpp"
#include "test_util.hpp"

namespace bounce {
namespace {

using formats::ExchangeParser;
using formats::ExchangeRow;
using formats::LineClass;
using formats::split_exchange_statuses;
using testing_util::ExpectSameLines;
using testing_util::Lines;
using testing_util::ReadAll;
using testing_util::ReadSourceFile;

constexpr const char* kFields2010 =
    "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
    "connector-id,source,event-id,internal-message-id,message-id,recipient-address,"
    "recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
    "message-subject,sender-address,return-path,message-info,directionality,tenant-id,"
    "original-client-ip,original-server-ip,custom-data";

TEST(ExchangeParser, QuotedFieldsAndTheStandardColumns) {
  ExchangeParser p;
  ExchangeRow row;
  ASSERT_EQ(p.parse("\xEF\xBB\xBF#Software: Microsoft Exchange Server", row), LineClass::ignored);
  ASSERT_EQ(
      p.parse("2024-01-25T13:10:46.930Z,192.0.2.51,EXCH02,198.51.100.44,mta6.am0.yahoodns.net,"
              "\"a, b\",Outbound,SMTP,FAIL,2817671213070,<m1@EXCH02.corp.example.com>,net-id,"
              "old.friend@yahoo.com,\"554 delivery error: dd This user doesn't have a "
              "\"\"yahoo.com\"\" account\",4410,1,,,\"Re: \"\"Q1\"\", review\",h.weber@corp."
              "example.com,h.weber@corp.example.com,,Originating,,,,,Email,log-id,15.02.1544.004",
              row),
      LineClass::parsed);
  EXPECT_EQ(row.event_id, "FAIL");
  EXPECT_EQ(row.source, "SMTP");
  EXPECT_EQ(row.message_id, "m1@EXCH02.corp.example.com");
  EXPECT_EQ(row.statuses, "554 delivery error: dd This user doesn't have a \"yahoo.com\" account");
  EXPECT_EQ(row.server_host, "mta6.am0.yahoodns.net");
  EXPECT_EQ(row.size, 4410);
  EXPECT_EQ(row.time.year, 2024);
  EXPECT_EQ(row.time.micros, 930000);
}

TEST(ExchangeParser, FieldsLineRemapsAndWrongCountsAreUnparsed) {
  ExchangeParser p;
  ExchangeRow row;
  ASSERT_EQ(p.parse(kFields2010, row), LineClass::ignored);
  // 26 fields: recipient-address is the 12th now.
  ASSERT_EQ(p.parse("2015-03-10T09:22:05.412Z,,,,HUB01,,,ROUTING,FAIL,21474836490,<m2@x>,"
                    "old.user@legacy.example.org,550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not "
                    "found,4410,3,,,S,a@x,a@x,,Incoming,,,,",
                    row),
            LineClass::parsed);
  EXPECT_EQ(row.recipients, "old.user@legacy.example.org");
  EXPECT_EQ(row.statuses, "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found");
  EXPECT_EQ(p.parse("2015-03-10T09:22:05.412Z,,,,HUB01,,,ROUTING,FAIL", row), LineClass::unparsed);
  EXPECT_EQ(p.parse("", row), LineClass::ignored);
}

TEST(ExchangeParser, FieldsLineWithQuotedNames) {
  // Found by the fuzzer: unquoting several names reallocated the buffer the
  // earlier names pointed into.
  ExchangeParser p;
  ExchangeRow row;
  ASSERT_EQ(p.parse("#Fields: \"x\"\"1\",\"y\"\"2\",\"z\"\"3\",date-time,event-id,message-id", row),
            LineClass::ignored);
  ASSERT_EQ(p.parse("a,b,c,2024-01-25T08:12:30.117Z,DELIVER,<m@x>", row), LineClass::parsed);
  EXPECT_EQ(row.event_id, "DELIVER");
  EXPECT_EQ(row.message_id, "m@x");
}

TEST(ExchangeParser, StatusListsSplitOnlyWhereANewStatusStarts) {
  EXPECT_EQ(split_exchange_statuses("550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found;550 5.1.1 "
                                    "RESOLVER.ADR.ExRecipNotFound; not found",
                                    2),
            (std::vector<std::string_view>{"550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found",
                                           "550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found"}));
  EXPECT_EQ(split_exchange_statuses("To;Bcc", 2), (std::vector<std::string_view>{"To", "Bcc"}));
  EXPECT_EQ(split_exchange_statuses("", 2), (std::vector<std::string_view>{"", ""}));
  // One recipient: a status with "; 421 ..." inside stays whole.
  EXPECT_EQ(split_exchange_statuses("421 4.7.0 [TSS04] x; see 4.16.55.1;250 y", 1).size(), 1u);
  EXPECT_EQ(split_exchange_statuses("250 2.1.5 OK", 3),
            (std::vector<std::string_view>{"250 2.1.5 OK", "", ""}));
}

TEST(ExchangeParser, Detection) {
  EXPECT_TRUE(formats::looks_like_exchange("\xEF\xBB\xBF#Software: Microsoft Exchange Server"));
  EXPECT_TRUE(formats::looks_like_exchange(kFields2010));
  EXPECT_FALSE(formats::looks_like_exchange("2024-01-25 08:12:06 1rSXQb-00020h-6a => a@b.c"));
  EXPECT_FALSE(formats::looks_like_exchange("2024-01-25T08:12:06Z,a,b"));
}

struct ExchangeSample {
  const char* name;
  testing_util::LineCounts counts;
  std::map<std::string, int> user, system;  ///< final outcomes (README sections 1-3)
};

class ExchangeGolden : public testing::TestWithParam<ExchangeSample> {};

TEST_P(ExchangeGolden, MatchesTheReviewedOutputCountsAndReadme) {
  const ExchangeSample& s = GetParam();
  testing_util::ExpectGoldenSample("exchange", s.name, s.counts);
  ReaderOptions o;
  o.view = View::final;
  std::map<std::string, int> user, system;
  Reader(o).read_file(std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/samples/exchange/" + s.name,
                      [&](const Record& r) {
                        ++(r.notification ? system : user)[std::string(to_string(r.outcome))];
                        EXPECT_EQ(r.format, Format::exchange);
                      });
  EXPECT_EQ(user, s.user);
  EXPECT_EQ(system, s.system);
}

INSTANTIATE_TEST_SUITE_P(
    Samples, ExchangeGolden,
    testing::Values(
        ExchangeSample{"MSGTRK20240125-1.LOG",
                       57,
                       47,
                       10,
                       0,
                       {{"delivered", 12}, {"bounced", 5}, {"expired", 1}, {"dropped", 1}},
                       {{"delivered", 4}}},
        ExchangeSample{"MSGTRK2010.LOG",
                       18,
                       13,
                       5,
                       0,
                       {{"delivered", 5}, {"bounced", 1}, {"expired", 1}},
                       {{"delivered", 2}}},
        ExchangeSample{"headerless.csv",
                       11,
                       10,
                       0,
                       1,
                       {{"delivered", 2}, {"bounced", 1}},
                       {{"delivered", 1}}}),
    [](const auto& p) {
      std::string n = p.param.name;
      return n == "headerless.csv"   ? std::string("Headerless")
             : n == "MSGTRK2010.LOG" ? std::string("Exchange2010")
                                     : std::string("Exchange2019");
    });

TEST(ExchangeReader, EachRecipientOfASendRowHasItsOwnOutcome) {
  // The first recipient's status used to decide the outcome of the others.
  const std::string log =
      "#Fields: date-time,source,event-id,message-id,recipient-address,recipient-status,"
      "server-hostname\n"
      "2024-01-25T10:00:00.000Z,SMTP,SEND,<m@x>,a@example.net;b@example.net;c@example.net,"
      "250 2.1.5 OK;550 5.1.1 User unknown;451 4.7.1 Try again later,mx.example.net\n";
  ReaderOptions o;
  o.view = View::attempts;
  std::vector<std::string> outcomes;
  const InputSource in = InputSource::memory("MSGTRK.LOG", log);
  Reader(o).read(std::span<const InputSource>(&in, 1), [&](const Record& r) {
    outcomes.push_back(std::string(r.recipient) + " " + std::string(to_string(r.outcome)));
  });
  EXPECT_EQ(outcomes, (std::vector<std::string>{"a@example.net delivered", "b@example.net bounced",
                                                "c@example.net deferred"}));
}

TEST(ExchangeReader, ExpiryNamesTheLastEndpointAndLocalDeliveriesInventNoCode) {
  ReaderOptions o;
  o.view = View::final;
  std::vector<OwnedRecord> keep;
  Reader(o).read_file(
      std::string(LIBBOUNCE_SOURCE_DIR) + "/corpus/samples/exchange/MSGTRK20240125-1.LOG",
      [&](const Record& r) { keep.emplace_back(r); });
  int checked = 0;
  for (const OwnedRecord& owned : keep) {
    const Record& r = owned.get();
    if (r.recipient == "ap@example.net") {
      EXPECT_EQ(r.outcome, Outcome::expired);
      EXPECT_EQ(r.relay_host, "mail.example.net");
      EXPECT_EQ(r.relay_ip, "198.51.100.80");
      EXPECT_EQ(r.classification.reply_code, 550);
      EXPECT_EQ(r.classification.bounce_type, BounceType::hard);
      ++checked;
    }
    if (r.recipient == "bob@corp.example.com" && r.message_id.starts_with("4867a3d7")) {
      EXPECT_EQ(r.outcome, Outcome::delivered);
      EXPECT_EQ(r.line, 13u);  // DELIVER supersedes the intra-org SEND on line 12
      EXPECT_EQ(r.classification.reply_code, 0);
      ++checked;
    }
    if (r.recipient == "ex.employee@corp.example.com") {
      // Exchange's own RESOLVER text is not Microsoft 365 answering.
      EXPECT_EQ(r.classification.provider, Provider::other);
      EXPECT_EQ(r.classification.reason, Reason::user_unknown);
      ++checked;
    }
    if (r.recipient == "alice@corp.example.com" && !r.notification) {
      EXPECT_EQ(r.orig_recipient, "allstaff@corp.example.com");
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace bounce
