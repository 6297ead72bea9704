// The Exim correlator; see exim_correlator.hpp.

#include "exim_correlator.hpp"

#include <algorithm>

#include "text_util.hpp"

namespace bounce::correlate {
namespace {

using formats::EximEvent;
using formats::EximEventKind;

std::string key_of(std::string_view host, std::string_view id) {
  std::string k(host);
  k.push_back('\0');
  k.append(id);
  return k;
}

std::string_view domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

}  // namespace

EximCorrelator::EximCorrelator(const Classifier& classifier, View view, std::size_t max_open,
                               Sink sink)
    : classifier_(classifier),
      view_(view),
      max_open_(max_open ? max_open : 1),
      sink_(std::move(sink)) {}

EximCorrelator::Message& EximCorrelator::message(std::string_view host, std::string_view id) {
  const std::string key = key_of(host, id);
  auto [it, inserted] = messages_.try_emplace(key);
  if (inserted) {
    it->second.id = std::string(id);
    it->second.seq = next_seq_++;
    order_.emplace_back(it->second.seq, key);
    while (messages_.size() > max_open_ && !order_.empty()) {
      const auto [seq, oldest] = order_.front();
      order_.pop_front();
      const auto old = messages_.find(oldest);
      if (old != messages_.end() && old->second.seq == seq && oldest != key) close(oldest, true);
    }
  }
  return messages_.find(key)->second;
}

void EximCorrelator::add(const EximEvent& e, const LineContext& ctx) {
  if (e.kind == EximEventKind::none) return;
  if (e.kind == EximEventKind::completed) {
    close(key_of(ctx.host, e.id), false);
    return;
  }
  Record r;
  r.format = Format::exim;
  r.time_us = ctx.time_us;
  r.has_time = ctx.has_time;
  r.time_text = ctx.time_text;
  r.host = ctx.host;
  r.file = ctx.file;
  r.line = ctx.line;
  if (e.kind == EximEventKind::reject) {  // refused at our own server
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
    r.classification = classifier_.classify(0, {}, e.reply, ClassifyContext{.phase = e.phase});
    r.reply_code = r.classification.reply_code;
    sink_(r);
    return;
  }
  Message& m = message(ctx.host, e.id);
  if (e.kind == EximEventKind::arrival) {
    m.sender = e.address == "<>" ? std::string() : std::string(e.address);
    m.notification = e.address == "<>";
    m.message_id = std::string(e.message_id);
    m.client_host = std::string(e.client_host);
    m.client_ip = std::string(e.client_ip);
    m.size = e.size;
    return;
  }
  // One outcome for one recipient.
  const std::string_view recipient =
      e.address.find('@') != std::string_view::npos || e.top_address.empty() ? e.address
                                                                             : e.top_address;
  r.message_key = m.id;
  r.message_id = m.message_id;
  r.sender = m.sender;
  r.size = m.size;
  r.client_host = m.client_host;
  r.client_ip = m.client_ip;
  r.notification = m.notification;
  r.recipient = recipient;
  r.recipient_domain = domain_of(recipient);
  r.relay_host = e.remote_host.empty() ? e.error_host : e.remote_host;
  r.relay_ip = e.remote_ip;
  r.status = e.flag;
  r.outcome = e.kind == EximEventKind::failure    ? Outcome::bounced
              : e.kind == EximEventKind::deferral ? Outcome::deferred
                                                  : Outcome::delivered;
  if (e.flag == "*>" || e.address == ":blackhole:") r.outcome = Outcome::dropped;
  if (e.kind == EximEventKind::failure &&
      e.error.find("retry timeout exceeded") != std::string_view::npos)
    r.outcome = Outcome::expired;
  r.reply_text = e.reply;
  r.diagnostic = e.error.empty() ? e.confirmation : e.error;
  r.phase = e.phase;
  r.tls = e.tls;
  r.attempt = ++m.attempts[std::string(recipient)];
  // A local, pipe or file delivery (or a discard) has no SMTP reply: the
  // outcome speaks, as a success.
  const std::string_view text = r.reply_text;
  const bool no_reply =
      text.empty() && (r.outcome == Outcome::delivered || r.outcome == Outcome::dropped);
  r.classification = classifier_.classify(
      0, {}, no_reply ? std::string_view("250 delivered") : text,
      ClassifyContext{
          .phase = e.phase, .remote_host = r.relay_host, .recipient_domain = r.recipient_domain});
  r.reply_code = r.classification.reply_code;
  if (r.outcome == Outcome::expired) {
    Classification& c = r.classification;
    c.reason = Reason::expired;
    c.bounce_type = BounceType::hard;
    c.action = Action::investigate;
    c.suppress_recipient = false;
  }
  if (view_ == View::attempts) {
    sink_(r);
    return;
  }
  for (auto& [rc, rec] : m.last)
    if (rc == recipient) {
      rec = OwnedRecord(r);
      return;
    }
  m.last.emplace_back(std::string(recipient), OwnedRecord(r));
}

void EximCorrelator::close(const std::string& key, bool evicted) {
  const auto it = messages_.find(key);
  if (it == messages_.end()) return;
  if (view_ == View::final)
    for (const auto& [rc, rec] : it->second.last) sink_(rec.get());
  if (evicted) ++evicted_;
  messages_.erase(it);
}

void EximCorrelator::finish() {
  std::vector<std::pair<std::uint64_t, std::string>> open;
  for (const auto& [key, m] : messages_) open.emplace_back(m.seq, key);
  std::sort(open.begin(), open.end());
  for (const auto& [seq, key] : open) close(key, false);
  order_.clear();
}

}  // namespace bounce::correlate
