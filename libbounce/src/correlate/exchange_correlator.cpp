// The Exchange message tracking correlator; see exchange_correlator.hpp.

#include "exchange_correlator.hpp"

#include "classify/give_up.hpp"
#include "text_util.hpp"

namespace bounce::correlate {

using formats::ExchangeRow;

namespace {

// The addresses of a `;`-separated list.
std::vector<std::string_view> split_addresses(std::string_view list) {
  std::vector<std::string_view> addresses;
  while (!list.empty()) {
    const std::size_t semi = list.find(';');
    const std::string_view address = trim(list.substr(0, semi));
    if (!address.empty()) addresses.push_back(address);
    list = semi == std::string_view::npos ? std::string_view{} : list.substr(semi + 1);
  }
  return addresses;
}

// `{FQDN=mail.example.net};{IP=198.51.100.80}` in a QUEUE status: the last
// endpoint tried, where the row's server columns are empty.
std::string_view endpoint_value(std::string_view status, std::string_view key) {
  const std::size_t at = status.find(key);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + key.size();
  const std::size_t end = status.find('}', start);
  return end == std::string_view::npos ? std::string_view{} : status.substr(start, end - start);
}

}  // namespace

ExchangeCorrelator::ExchangeCorrelator(const Classifier& classifier, View view,
                                       std::size_t max_open, Sink sink)
    : classifier_(classifier), view_(view), sink_(std::move(sink)), open_(max_open) {}

ExchangeCorrelator::Recipient& ExchangeCorrelator::recipient(Message& m, std::string_view address) {
  for (Recipient& rc : m.recipients)
    if (equals_icase(rc.address, address)) return rc;
  Recipient& rc = m.recipients.emplace_back();
  rc.address = std::string(address);
  return rc;
}

void ExchangeCorrelator::add(const ExchangeRow& row, const LineContext& ctx) {
  if (row.message_id.empty()) return;  // NOTIFYMAPI: no message yet
  Message& m = open_.open("", row.message_id, [this](const Message& old) { close(old); });
  const std::string_view event = row.event_id;
  if (row.return_path == "<>" || event == "DSN") m.notification = true;
  if (event == "RECEIVE" && m.client_host.empty() && m.client_ip.empty()) {
    m.client_host = std::string(row.client_host);
    m.client_ip = std::string(row.client_ip);
  }
  if (event == "EXPAND" || event == "REDIRECT" || event == "RESOLVE") {
    for (std::string_view address : split_addresses(row.recipients))
      recipient(m, address).original = std::string(row.related_recipient);
    return;
  }
  if (event == "DELIVER") return on_outcome(m, row, Outcome::delivered, ctx);
  if (event == "FAIL") return on_outcome(m, row, Outcome::bounced, ctx);
  if (event == "DEFER") return on_outcome(m, row, Outcome::deferred, ctx);
  if (event == "DROP") return on_outcome(m, row, Outcome::dropped, ctx);
  if (event == "SEND") return on_outcome(m, row, Outcome::unknown, ctx);  // by its status
}

void ExchangeCorrelator::on_outcome(Message& m, const ExchangeRow& row, Outcome outcome,
                                    const LineContext& ctx) {
  const std::vector<std::string_view> addresses = split_addresses(row.recipients);
  const std::vector<std::string_view> statuses =
      formats::split_exchange_statuses(row.statuses, addresses.size());
  // The server columns name the next hop on SMTP and store-driver rows; a
  // FAIL from ROUTING or QUEUE names this server there, and a QUEUE status
  // names the last endpoint tried.
  const bool server_is_next_hop = row.source == "SMTP" || row.source == "STOREDRIVER";
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    Recipient& rc = recipient(m, addresses[i]);
    const std::string_view status = trim(statuses[i]);
    Record r = record_at(Format::exchange, ctx);
    r.message_key = row.internal_message_id;
    r.message_id = row.message_id;
    r.sender = row.return_path == "<>" ? std::string_view{} : row.sender;
    r.size = row.size;
    r.client_host = m.client_host;
    r.client_ip = m.client_ip;
    r.notification = m.notification;
    r.recipient = rc.address;
    r.orig_recipient = rc.original;
    r.recipient_domain = domain_of(rc.address);
    r.status = row.event_id;
    r.reply_text = status;
    r.diagnostic = status;
    if (server_is_next_hop) {
      r.relay_host = row.server_host;
      r.relay_ip = row.server_ip;
    } else {
      r.relay_host = endpoint_value(status, "{FQDN=");
      r.relay_ip = endpoint_value(status, "{IP=");
    }
    r.attempt = ++rc.attempts;
    const ClassifyContext context{.remote_host = r.relay_host,
                                  .recipient_domain = r.recipient_domain};
    r.classification = status.empty() && outcome != Outcome::bounced
                           ? classifier_.classify_delivery(context)
                           : classifier_.classify(0, {}, status, context);
    // ROUTING, QUEUE and AGENT rows carry this server's own words (Exchange's
    // RESOLVER.* texts would otherwise read as Microsoft 365's): the provider
    // is the last endpoint's, or the recipient domain's.
    if (!server_is_next_hop)
      r.classification.provider = r.relay_host.empty()
                                      ? classifier_.provider_for_domain(r.recipient_domain)
                                      : classifier_.provider_for_host(r.relay_host);
    // SEND: the next hop's reply decides (a row without one was sent).
    r.outcome = outcome;
    if (outcome == Outcome::unknown) {
      const int code = r.classification.reply_code;
      const int klass = code ? code / 100 : r.classification.enhanced.klass;
      r.outcome = status.empty() || klass == 2 ? Outcome::delivered
                  : klass == 4                 ? Outcome::deferred
                  : klass == 5                 ? Outcome::bounced
                                               : Outcome::unknown;
    }
    if (r.outcome == Outcome::bounced &&
        find_icase(status, "QUEUE.Expired") != std::string_view::npos) {
      r.outcome = Outcome::expired;
      give_up(r.classification);
    }
    if (view_ == View::attempts) sink_(r);
    rc.last.assign(r);
  }
}

void ExchangeCorrelator::close(const Message& m) {
  if (view_ == View::attempts) return;
  for (const Recipient& rc : m.recipients)
    if (rc.attempts > 0) sink_(rc.last.get());
}

void ExchangeCorrelator::finish() {
  open_.close_all([this](const Message& m) { close(m); });
}

}  // namespace bounce::correlate
