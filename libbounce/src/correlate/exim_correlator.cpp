// The Exim correlator; see exim_correlator.hpp.

#include "exim_correlator.hpp"

#include <algorithm>

#include "text_util.hpp"

namespace bounce::correlate {

using formats::EximEvent;
using formats::EximEventKind;

EximCorrelator::EximCorrelator(View view, std::size_t max_open, Sink sink)
    : view_(view), sink_(std::move(sink)), open_(max_open) {}

void EximCorrelator::add(const EximEvent& e, const LineContext& ctx) {
  if (e.kind == EximEventKind::none) return;
  if (e.kind == EximEventKind::completed) {
    open_.close(ctx.host, e.id, [this](const Message& m) { close(m); });
    return;
  }
  if (e.kind == EximEventKind::reject) {  // refused at our own server
    Record r = record_at(Format::exim, ctx);
    r.recipient = e.address;
    r.recipient_domain = domain_of(e.address);
    r.sender = e.transport_or_subject;
    r.client_host = e.client_host;
    r.client_ip = e.client_ip;
    r.outcome = Outcome::rejected;
    r.status = "rejected";
    r.reply_text = e.reply;
    r.diagnostic = e.error;
    r.phase = e.phase;
    r.attempt = 1;
    r.classification = e.classification;
    r.reply_code = r.classification.reply_code;
    sink_(r);
    return;
  }
  Message& m = open_.open(ctx.host, e.id, [this](const Message& old) { close(old); });
  if (e.kind == EximEventKind::arrival) {
    m.notification = e.address == "<>";
    m.sender.assign(m.notification ? std::string_view() : e.address);
    m.message_id.assign(e.message_id);
    m.client_host.assign(e.client_host);
    m.client_ip.assign(e.client_ip);
    m.size = e.size;
    return;
  }
  // One outcome for one recipient.
  Record r = record_at(Format::exim, ctx);
  const std::string_view recipient = formats::exim_recipient(e);
  r.message_key = e.id;
  r.message_id = m.message_id;
  r.sender = m.sender;
  r.size = m.size;
  r.client_host = m.client_host;
  r.client_ip = m.client_ip;
  r.notification = m.notification;
  r.recipient = recipient;
  r.recipient_domain = domain_of(recipient);
  r.relay_host = formats::exim_remote_host(e);
  r.relay_ip = e.remote_ip;
  r.status = e.flag;
  r.outcome = formats::exim_outcome(e);
  r.reply_text = e.reply;
  r.diagnostic = e.error.empty() ? e.confirmation : e.error;
  r.phase = e.phase;
  r.tls = e.tls;
  const auto known = std::find_if(m.recipients.begin(), m.recipients.end(),
                                  [&](const Recipient& rc) { return rc.address == recipient; });
  Recipient& rc = known != m.recipients.end() ? *known : m.recipients.emplace_back();
  if (rc.address.empty()) rc.address = recipient;
  r.attempt = ++rc.attempts;
  r.classification = e.classification;
  r.reply_code = r.classification.reply_code;
  if (view_ == View::attempts)
    sink_(r);
  else
    rc.last.assign(r);
}

void EximCorrelator::close(const Message& m) {
  if (view_ == View::final)
    for (const Recipient& rc : m.recipients) sink_(rc.last.get());
}

void EximCorrelator::finish() {
  open_.close_all([this](const Message& m) { close(m); });
}

}  // namespace bounce::correlate
