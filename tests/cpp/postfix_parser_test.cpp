#include <gtest/gtest.h>

#include <charconv>
#include <string>

#include "formats/postfix_event.hpp"

namespace bounce::formats {
namespace {

PostfixEvent Parse(std::string_view msg, LineClass expected = LineClass::parsed,
                   std::string_view daemon = "smtp") {
  PostfixEvent e;
  EXPECT_EQ(parse_postfix_message(daemon, msg, e), expected) << msg;
  return e;
}

// The delay is read by a fast decimal path; it must give exactly what
// std::from_chars gives, and fall back to it for any other shape.
TEST(PostfixParser, DelayValuesEqualFromChars) {
  for (const std::string_view delay :
       {"0.4", "12", "0.02", "1234.56", "0.1", "3.3333333", "999999999999999", "0.000000000000001",
        "1234567890123456", "5.", ".5", "1e3", "007.50"}) {
    const std::string line = "4135B3FC06: to=<a@b.c>, relay=none, delay=" + std::string(delay) +
                             ", delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to b.c: x)";
    const PostfixEvent e = Parse(line);
    double expected = -1;
    const auto r = std::from_chars(delay.data(), delay.data() + delay.size(), expected);
    if (r.ec != std::errc{}) expected = -1;
    EXPECT_EQ(e.delay, expected) << delay;
  }
}

// A delay from_chars reads but no delay can be (the report's histogram
// bucket of an infinite delay was an out-of-range conversion) is absent.
TEST(PostfixParser, NonFiniteOrNegativeDelayIsAbsent) {
  for (const std::string_view delay : {"inf", "nan", "-2", "-0.5", "1e999", "infinity"}) {
    const std::string line = "4135B3FC06: to=<a@b.c>, relay=none, delay=" + std::string(delay) +
                             ", delays=0/0/0/0, dsn=4.4.1, status=deferred (connect to b.c: x)";
    EXPECT_EQ(Parse(line).delay, -1) << delay;
  }
}

TEST(PostfixParser, DeliveryLineWithEveryKey) {
  const PostfixEvent e = Parse(
      "4135B3FC069XXXX: to=<hr4ekyh3sh@3x4fpi3.e0f>, orig_to=<hr@x>, "
      "relay=mx70.seznam.cz[77.75.77.49]:25, "
      "conn_use=2, delay=2.1, delays=0.01/0.95/1/0.15, tls=secure, sts=none, dsn=5.0.0, "
      "status=bounced (host mx70.seznam.cz[77.75.77.49] said: 552 4.2.2 User has full mailbox. "
      "(in reply to RCPT TO command))");
  EXPECT_EQ(e.kind, PostfixEventKind::delivery);
  EXPECT_EQ(e.queue_id, "4135B3FC069XXXX");
  EXPECT_EQ(e.recipient, "hr4ekyh3sh@3x4fpi3.e0f");
  EXPECT_EQ(e.orig_recipient, "hr@x");
  EXPECT_EQ(e.relay_host, "mx70.seznam.cz");
  EXPECT_EQ(e.relay_ip, "77.75.77.49");
  EXPECT_EQ(e.relay_port, 25);
  EXPECT_EQ(e.conn_use, "2");
  EXPECT_DOUBLE_EQ(e.delay, 2.1);
  EXPECT_EQ(e.delays, "0.01/0.95/1/0.15");
  EXPECT_EQ(e.tls, "secure");
  EXPECT_EQ(e.dsn, "5.0.0");
  EXPECT_EQ(e.status, "bounced");
  EXPECT_EQ(e.remote_host, "mx70.seznam.cz");
  EXPECT_EQ(e.reply_code, 552);
  EXPECT_EQ(e.reply_text, "552 4.2.2 User has full mailbox.");
  EXPECT_EQ(e.phase, "RCPT TO");
  EXPECT_EQ(e.diagnostic,
            "host mx70.seznam.cz[77.75.77.49] said: 552 4.2.2 User has full mailbox. (in reply to "
            "RCPT TO command)");
}

TEST(PostfixParser, RelayForms) {
  struct {
    const char* relay;
    const char* host;
    const char* ip;
    int port;
  } cases[] = {{"none", "", "", 0},
               {"local", "local", "", 0},
               {"mx.example.com[192.0.2.1]", "mx.example.com", "192.0.2.1", 0},
               {"mx.example.net[2001:db8:20::25]:25", "mx.example.net", "2001:db8:20::25", 25},
               {"mx1.example.com[private/dovecot-lmtp]", "mx1.example.com", "", 0},
               {"127.0.0.1[127.0.0.1]:10024", "127.0.0.1", "127.0.0.1", 10024}};
  for (const auto& c : cases) {
    const std::string line = std::string("ABCDE12345: to=<a@b.c>, relay=") + c.relay +
                             ", delay=1, dsn=2.0.0, status=sent (ok)";
    const PostfixEvent e = Parse(line);
    EXPECT_EQ(e.relay_host, c.host) << c.relay;
    EXPECT_EQ(e.relay_ip, c.ip) << c.relay;
    EXPECT_EQ(e.relay_port, c.port) << c.relay;
  }
}

TEST(PostfixParser, ConnectionAndDnsFailures) {
  PostfixEvent e = Parse(
      "9D7E4E0D4C: to=<b@kamelot-clan.com>, relay=none, delay=15704, delays=15704/0.03/0.31/0, "
      "dsn=4.4.1, status=deferred (connect to kamelot-clan.com[174.120.120.151]:25: Connection "
      "refused)");
  EXPECT_EQ(e.phase, "connect");
  EXPECT_EQ(e.remote_host, "kamelot-clan.com");
  EXPECT_EQ(e.reply_code, 0);
  e = Parse(
      "ABCDEF1234: to=<a@partner.example.net>, relay=none, delay=1, dsn=4.4.3, status=deferred "
      "(Host or domain name not found. Name service error for name=partner.example.net type=MX: "
      "Host not found, try again)");
  EXPECT_EQ(e.phase, "DNS");
  e = Parse(
      "ABCDEF1234: to=<a@x.example>, relay=none, delay=1, dsn=4.4.1, status=deferred (delivery "
      "temporarily suspended: connect to x.example[192.0.2.1]:25: Connection timed out)",
      LineClass::parsed, "error");
  EXPECT_EQ(e.phase, "connect");
  EXPECT_EQ(e.daemon, "error");
}

TEST(PostfixParser, TextWithParenthesesAndCommas) {
  const PostfixEvent e = Parse(
      "B3E5A7C9D1: to=<d@hotmail.com>, relay=h[203.0.113.34]:25, delay=1, dsn=5.7.606, "
      "status=bounced (host h[203.0.113.34] said: 550 5.7.606 Access denied, banned sending IP "
      "[192.0.2.10]. (AS16012609) (in reply to RCPT TO command))");
  EXPECT_EQ(e.reply_text,
            "550 5.7.606 Access denied, banned sending IP [192.0.2.10]. (AS16012609)");
  EXPECT_EQ(e.phase, "RCPT TO");
}

TEST(PostfixParser, OtherMessageLines) {
  EXPECT_EQ(Parse("4C3B1E0A21: client=app1.example.com[192.0.2.25]", LineClass::parsed, "smtpd")
                .client_ip,
            "192.0.2.25");
  PostfixEvent e = Parse("2B6D8E3F44: uid=33 from=<www-data>", LineClass::parsed, "pickup");
  EXPECT_EQ(e.kind, PostfixEventKind::pickup);
  EXPECT_EQ(e.sender, "www-data");
  EXPECT_EQ(Parse("3D5F7A9C1E: uid=0 from=<root> orig_id=1F2E3D4C5B", LineClass::parsed, "pickup")
                .new_queue_id,
            "1F2E3D4C5B");
  EXPECT_EQ(Parse("7EE668039: message-id=<a@b>", LineClass::parsed, "cleanup").message_id, "a@b");
  EXPECT_EQ(Parse("7EE668039: message-id=msgId-XYZ", LineClass::parsed, "cleanup").message_id,
            "msgId-XYZ");
  e = Parse("7D2E4F1B30: from=<sales@example.com>, size=7821, nrcpt=2 (queue active)",
            LineClass::parsed, "qmgr");
  EXPECT_EQ(e.kind, PostfixEventKind::queued);
  EXPECT_EQ(e.size, 7821);
  EXPECT_EQ(e.nrcpt, 2);
  e = Parse("D4C3B2A190: from=<r@x>, status=expired, returned to sender", LineClass::parsed,
            "qmgr");
  EXPECT_EQ(e.kind, PostfixEventKind::expired);
  EXPECT_EQ(e.status, "expired");
  EXPECT_EQ(Parse("1A2B3C4D5E: from=<>, status=force-expired, returned to sender",
                  LineClass::parsed, "qmgr")
                .status,
            "force-expired");
  EXPECT_EQ(Parse("7D2E4F1B30: removed", LineClass::parsed, "qmgr").kind,
            PostfixEventKind::removed);
  e = Parse("7D2E4F1B30: sender non-delivery notification: 9A0F3C2D11", LineClass::parsed,
            "bounce");
  EXPECT_EQ(e.kind, PostfixEventKind::notification);
  EXPECT_EQ(e.new_queue_id, "9A0F3C2D11");
  EXPECT_EQ(Parse("4C3B1E0A21: host mta5.am0.yahoodns.net[198.51.100.44] said: 421 4.7.0 [TSS04] "
                  "deferred (in reply to MAIL FROM command)")
                .phase,
            "MAIL FROM");
}

TEST(PostfixParser, Rejections) {
  PostfixEvent e = Parse(
      "NOQUEUE: reject: RCPT from unknown[203.0.113.45]: 554 5.7.1 Service unavailable; Client "
      "host [203.0.113.45] blocked using zen.spamhaus.org; from=<info@example.net> "
      "to=<alice@example.com> proto=ESMTP helo=<WIN-4K2P7Q9>",
      LineClass::parsed, "smtpd");
  EXPECT_EQ(e.kind, PostfixEventKind::reject);
  EXPECT_EQ(e.queue_id, "");
  EXPECT_EQ(e.reply_code, 554);
  EXPECT_EQ(e.sender, "info@example.net");
  EXPECT_EQ(e.recipient, "alice@example.com");
  EXPECT_EQ(e.client_ip, "203.0.113.45");
  EXPECT_EQ(e.phase, "RCPT");
  // postscreen separates the fields with ", ".
  e = Parse(
      "NOQUEUE: reject: RCPT from [203.0.113.50]:61234: 550 5.7.1 Service unavailable; client "
      "[203.0.113.50] blocked using zen.spamhaus.org; from=<w@example.net>, to=<sam@example.com>, "
      "proto=ESMTP, helo=<user>",
      LineClass::parsed, "postscreen");
  EXPECT_EQ(e.recipient, "sam@example.com");
  EXPECT_EQ(e.sender, "w@example.net");
  EXPECT_EQ(e.client_ip, "203.0.113.50");
  e = Parse(
      "9D1F3A5C7E: milter-reject: END-OF-MESSAGE from unknown[203.0.113.200]: 5.7.1 Spam message "
      "rejected; from=<promo@deals.example.net> to=<bob@example.com> proto=ESMTP helo=<b>",
      LineClass::parsed, "cleanup");
  EXPECT_EQ(e.queue_id, "9D1F3A5C7E");
  EXPECT_EQ(e.phase, "end of DATA");
  EXPECT_EQ(e.reply_code, 0);
}

TEST(PostfixParser, IgnoredAndUnparsedLines) {
  for (const char* msg :
       {"connect from app1.example.com[192.0.2.25]",
        "disconnect from x[1.2.3.4] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
        "warning: hostname x does not resolve", "statistics: max connection rate 1/60s",
        "Requeued: 1 message", "fatal: open database x.db",
        "Verified TLS connection established to h[192.0.2.1]:25: TLSv1.3 with cipher x",
        "connect to mx1.eu.example.net[203.0.113.140]:25: Connection refused",
        "CONNECT from [203.0.113.50]:61234 to [192.0.2.20]:25",
        "4C3B1E0A21: warning: header Subject: x from y"}) {
    PostfixEvent e;
    EXPECT_EQ(parse_postfix_message("smtpd", msg, e), LineClass::ignored) << msg;
  }
  for (const char* msg :
       {"9C8B7A6F5E: to=<lost.recipi", "9C8B7A6F5E: to=<a@b>, relay=x, status=sent (unclosed",
        "NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 no fields here", "ABCDE12345: from=<sales@exa",
        "ABCDE12345: to=<a@b, relay=x, dsn=2.0.0, status=sent (ok)",
        "ABCDE12345: sender non-delivery notification: ??"}) {
    PostfixEvent e;
    EXPECT_EQ(parse_postfix_message("smtp", msg, e), LineClass::unparsed) << msg;
  }
}

TEST(PostfixParser, ProgramNames) {
  EXPECT_TRUE(is_postfix_program("postfix/smtp"));
  EXPECT_TRUE(is_postfix_program("postfix-out/qmgr"));
  EXPECT_TRUE(is_postfix_program("postfix/submission/smtpd"));
  EXPECT_FALSE(is_postfix_program("amavis"));
  EXPECT_FALSE(is_postfix_program("postfix"));
  EXPECT_FALSE(is_postfix_program("dovecot"));
}

}  // namespace
}  // namespace bounce::formats
