// Generated traffic as an Exchange message tracking log (the 2013-2019
// 30-column layout): a RECEIVE row per message from the application, then per
// recipient a SMTP DEFER row per deferral and a SEND or FAIL row.

#include <cstdio>

#include "log_writer.hpp"

namespace bounce::corpus {
namespace {

// An RFC 4180 field: quoted when it holds a comma, a quote or a line end.
std::string csv(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (const char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

}  // namespace

const char* exchange_header() {
  return "#Software: Microsoft Exchange Server\n"
         "#Version: 15.02.1258.012\n"
         "#Log-type: Message Tracking Log\n"
         "#Date: 2025-07-05T06:00:00.000Z\n"
         "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
         "connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
         "recipient-address,recipient-status,total-bytes,recipient-count,"
         "related-recipient-address,reference,message-subject,sender-address,return-path,"
         "message-info,directionality,tenant-id,original-client-ip,original-server-ip,"
         "custom-data,transport-traffic-type,log-id,schema-version\n";
}

void write_exchange(const Message& m, LineQueue& lines, std::mt19937_64& /*rng*/) {
  const std::string internal = std::to_string(3143916000000ull + m.serial);
  char ids[96];
  std::snprintf(ids, sizeof ids, "<%016llx@EXCH01.corp.example.com>,%08llx-215a-6e31-807c-%012llx",
                static_cast<unsigned long long>(m.serial * 0x9E3779B97F4A7C15ull),
                static_cast<unsigned long long>(m.serial),
                static_cast<unsigned long long>(m.time_ms));
  const std::string app_ip = "192.0.2." + std::to_string(20 + m.app);
  const std::string app = "app" + std::to_string(m.app) + ".example.com";
  const std::string tail = "," + std::to_string(m.size) + ",";
  const auto row = [&](std::int64_t t, const std::string& client, const std::string& server,
                       const std::string& source_context, const char* connector, const char* event,
                       const std::string& recipients, const std::string& status,
                       std::size_t count) {
    lines.add(t, iso_time(t) + "," + client + "," + server + "," + csv(source_context) + "," +
                     connector + ",SMTP," + event + "," + internal + "," + ids + "," +
                     csv(recipients) + "," + csv(status) + tail + std::to_string(count) +
                     ",,,Order update," + m.sender + "," + m.sender +
                     ",,Originating,,,,,Email,,15.02.1258.012");
  };
  std::string all;
  for (const Recipient& r : m.recipients) all += (all.empty() ? "" : ";") + r.address;
  row(m.time_ms + 12, app_ip + "," + app, "192.0.2.50,EXCH01", "08DCA1B2C3D4E5F6;0",
      "EXCH01\\Default EXCH01", "RECEIVE", all, "", m.recipients.size());
  for (const Recipient& r : m.recipients) {
    const Provider& pv = *r.provider;
    const std::string remote = std::string(pv.ip) + "," + pv.mx;
    for (const Attempt& a : r.attempts) {
      const char* event = !a.failure ? "SEND" : a.permanent ? "FAIL" : "DEFER";
      const std::string status = a.failure ? a.failure->text : pv.ok_reply;
      row(a.time_ms, "192.0.2.50,EXCH01", remote, a.failure ? "" : ";" + status,
          "Outbound to Internet", event, r.address, status, 1);
    }
  }
}

}  // namespace bounce::corpus
