// Generated traffic as Amazon SES event publishing records (NDJSON, one event
// per line, as a Firehose or SNS-to-file export holds them): Send, then
// DeliveryDelay for each deferral and Delivery or Bounce per recipient.

#include <cstdio>

#include "log_writer.hpp"

namespace bounce::corpus {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace

void write_ses(const Message& m, LineQueue& lines, std::mt19937_64& /*rng*/) {
  char id[64];
  std::snprintf(id, sizeof id, "0102019%09llx-5e0c1f2a-7d41-4c2b-9a6e-%012llx-000000",
                static_cast<unsigned long long>(m.serial),
                static_cast<unsigned long long>(m.serial * 2654435761u) & 0xFFFFFFFFFFFFull);
  std::string destination = "[";
  for (const Recipient& r : m.recipients)
    destination += (destination.size() > 1 ? "," : "") + quoted(r.address);
  destination += "]";
  const std::string mail = "\"mail\":{\"timestamp\":\"" + iso_time(m.time_ms) +
                           "\",\"source\":" + quoted(m.sender) + ",\"sourceIp\":\"192.0.2." +
                           std::to_string(20 + m.app) + "\",\"messageId\":\"" + id +
                           "\",\"destination\":" + destination + "}";
  const auto event = [&](std::int64_t t, const char* type, const std::string& body) {
    lines.add(t, std::string("{\"eventType\":\"") + type + "\"," + mail + "," + body + "}");
  };
  event(m.time_ms, "Send", "\"send\":{}");
  for (const Recipient& r : m.recipients) {
    const Provider& pv = *r.provider;
    for (const Attempt& a : r.attempts) {
      const std::string when = "\"timestamp\":\"" + iso_time(a.time_ms) + "\"";
      if (!a.failure) {
        event(a.time_ms, "Delivery",
              "\"delivery\":{" + when + ",\"processingTimeMillis\":" +
                  std::to_string(a.time_ms - m.time_ms) + ",\"recipients\":[" + quoted(r.address) +
                  "],\"smtpResponse\":" + quoted(pv.ok_reply) +
                  ",\"reportingMTA\":\"a8-30.smtp-out.amazonses.com\",\"remoteMtaIp\":\"" + pv.ip +
                  "\"}");
        continue;
      }
      const std::string recipient =
          "{\"emailAddress\":" + quoted(r.address) + ",\"status\":\"" + a.failure->dsn +
          "\",\"diagnosticCode\":" + quoted(std::string("smtp; ") + a.failure->text);
      if (a.permanent)
        event(a.time_ms, "Bounce",
              "\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
              "\"bouncedRecipients\":[" +
                  recipient + ",\"action\":\"failed\"}]," + when + ",\"remoteMtaIp\":\"" + pv.ip +
                  "\",\"reportingMTA\":\"dsn; a8-30.smtp-out.amazonses.com\"}");
      else
        event(a.time_ms, "DeliveryDelay",
              "\"deliveryDelay\":{" + when +
                  ",\"delayType\":\"TransientCommunicationFailure\",\"delayedRecipients\":[" +
                  recipient + "}]}");
    }
  }
}

}  // namespace bounce::corpus
