// The Postfix correlator; see postfix_correlator.hpp for the rules.

#include "postfix_correlator.hpp"

#include "classify/give_up.hpp"
#include "text_util.hpp"

namespace bounce::correlate {
namespace {

using formats::PostfixEvent;
using formats::PostfixEventKind;

Outcome outcome_of(std::string_view status, std::string_view daemon) {
  if (status == "sent") return daemon == "discard" ? Outcome::dropped : Outcome::delivered;
  if (status == "deferred" || status == "SOFTBOUNCE") return Outcome::deferred;
  if (status == "bounced") return Outcome::bounced;
  if (status == "deliverable") return Outcome::delivered;
  if (status.starts_with("undeliverable")) return Outcome::bounced;
  if (status == "expired" || status == "force-expired") return Outcome::expired;
  return Outcome::unknown;
}

bool is_probe_status(std::string_view status) {
  return status == "deliverable" || status.starts_with("undeliverable");
}

bool is_loopback_relay(const PostfixEvent& e) {
  if (e.relay_ip.starts_with("127.") || e.relay_ip == "::1" || e.relay_ip == "ipv6:::1")
    return true;
  if (e.relay_host == "localhost") return true;
  // A unix-socket relay ("host[private/x]") is local by construction.
  return e.relay_ip.empty() && e.relay.find('[') != std::string_view::npos;
}

// The queue id after `marker` in text ("queued as 5E8F0A1B22)").
std::string_view id_after(std::string_view text, std::string_view marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + marker.size());
  std::size_t n = 0;
  while (n < rest.size() && is_alnum(rest[n])) ++n;
  return rest.substr(0, n);
}

}  // namespace

PostfixCorrelator::PostfixCorrelator(View view, std::size_t max_open, std::int64_t max_age_s,
                                     Sink sink)
    : view_(view),
      max_open_(max_open == 0 ? 1 : max_open),
      max_age_us_(max_age_s * 1000000),
      sink_(std::move(sink)) {}

const std::string& PostfixCorrelator::map_key(std::string_view host, std::string_view qid) {
  key_buf_.assign(host);
  key_buf_.push_back('\0');
  key_buf_.append(qid);
  return key_buf_;
}

PostfixCorrelator::Message* PostfixCorrelator::find(std::string_view host, std::string_view qid) {
  const auto it = messages_.find(map_key(host, qid));
  return it == messages_.end() ? nullptr : &it->second;
}

PostfixCorrelator::Message& PostfixCorrelator::message(std::string_view host, std::string_view qid,
                                                       const LineContext& ctx) {
  const std::string& key = map_key(host, qid);
  auto [it, inserted] = messages_.try_emplace(key);
  Message& m = it->second;
  if (inserted) {
    m.key = std::string(qid);
    m.host = std::string(host);
    m.seq = next_seq_++;
    by_age_.emplace_back(m.seq, key);
    if (const auto link = pending_links_.find(key); link != pending_links_.end()) {
      inherit(m, link->second);
      pending_links_.erase(link);
    }
  }
  if (ctx.has_time) m.last_seen_us = ctx.time_us;
  return m;
}

PostfixCorrelator::Inheritance PostfixCorrelator::inheritance_of(const Message& m) const {
  return Inheritance{m.origin_key.empty() ? m.key : m.origin_key,
                     m.sender,
                     m.message_id,
                     m.client_host,
                     m.client_ip,
                     m.has_sender,
                     m.notification};
}

void PostfixCorrelator::inherit(Message& child, const Inheritance& from) {
  child.origin_key = from.origin_key;
  if (!child.has_sender && from.has_sender) {
    child.sender = from.sender;
    child.has_sender = true;
  }
  if (child.message_id.empty()) child.message_id = from.message_id;
  // The chain's first client is where the mail really came from; the next
  // hop's own client is the content filter or the other instance.
  if (!from.client_host.empty() || !from.client_ip.empty()) {
    child.client_host = from.client_host;
    child.client_ip = from.client_ip;
  }
  child.notification |= from.notification;
}

void PostfixCorrelator::link_child(std::string_view host, std::string_view child_qid,
                                   const Message& parent) {
  if (child_qid.empty()) return;
  if (Message* child = find(host, child_qid)) {
    inherit(*child, inheritance_of(parent));
  } else {
    pending_links_[map_key(host, child_qid)] = inheritance_of(parent);
  }
}

Record PostfixCorrelator::base_record(const Message* m, const LineContext& ctx) const {
  Record r = record_at(Format::postfix, ctx);
  if (m) {
    r.message_key = m->key;
    r.origin_key = m->origin_key;
    r.message_id = m->message_id;
    r.sender = m->sender;
    r.size = m->size;
    r.client_host = m->client_host;
    r.client_ip = m->client_ip;
    r.notification = m->notification;
  }
  return r;
}

void PostfixCorrelator::emit(const Record& r) { sink_(r); }

void PostfixCorrelator::add(const PostfixEvent& e, const LineContext& ctx) {
  switch (e.kind) {
    case PostfixEventKind::none:
    case PostfixEventKind::mx_evidence:  // the to= line that follows carries the outcome
      break;
    case PostfixEventKind::client: {
      Message& m = message(ctx.host, e.queue_id, ctx);
      if (m.origin_key.empty()) {  // a hop child keeps its chain's first client
        m.client_host = std::string(e.client_host);
        m.client_ip = std::string(e.client_ip);
      }
      if (!e.new_queue_id.empty())
        if (Message* parent = find(ctx.host, e.new_queue_id)) inherit(m, inheritance_of(*parent));
      break;
    }
    case PostfixEventKind::pickup: {
      Message& m = message(ctx.host, e.queue_id, ctx);
      if (!e.new_queue_id.empty()) {  // requeue: the old queue id's pending recipients move here
        if (Message* parent = find(ctx.host, e.new_queue_id)) {
          inherit(m, inheritance_of(*parent));
          for (Recipient& rc : parent->recipients)
            if (!rc.decided) rc.hop = true;
          close(map_key(ctx.host, e.new_queue_id), false);
        }
      }
      break;
    }
    case PostfixEventKind::message_id:
      message(ctx.host, e.queue_id, ctx).message_id = std::string(e.message_id);
      break;
    case PostfixEventKind::queued: {
      Message& m = message(ctx.host, e.queue_id, ctx);
      m.sender = std::string(e.sender);
      m.has_sender = true;
      m.size = e.size;
      if (e.sender.empty() || e.sender.starts_with("double-bounce@")) m.notification = true;
      break;
    }
    case PostfixEventKind::notification: {
      Message& dsn = message(ctx.host, e.new_queue_id, ctx);
      dsn.notification = true;
      break;
    }
    case PostfixEventKind::delivery:
      on_delivery(e, ctx);
      break;
    case PostfixEventKind::expired:
      on_expired(message(ctx.host, e.queue_id, ctx), e, ctx);
      break;
    case PostfixEventKind::removed:
      if (find(ctx.host, e.queue_id)) close(map_key(ctx.host, e.queue_id), false);
      break;
    case PostfixEventKind::requeued:
      break;  // the pickup line with orig_id= does the linking
    case PostfixEventKind::reject:
      on_reject(e, ctx);
      break;
  }
  if (ctx.has_time) enforce_bounds(ctx.time_us);
}

void PostfixCorrelator::on_delivery(const PostfixEvent& e, const LineContext& ctx) {
  Message& m = message(ctx.host, e.queue_id, ctx);
  Recipient* rc = nullptr;
  for (Recipient& x : m.recipients)
    if (x.address == e.recipient) rc = &x;
  if (!rc) {
    m.recipients.emplace_back();
    rc = &m.recipients.back();
    rc->address = std::string(e.recipient);
  }
  // A hop to a content filter / another instance, or a local alias forward.
  if (e.status == "sent") {
    std::string_view next = id_after(e.diagnostic, "forwarded as ");
    if (next.empty() && is_loopback_relay(e)) next = id_after(e.diagnostic, "queued as ");
    if (!next.empty()) {
      rc->hop = true;
      link_child(ctx.host, next, m);
      return;
    }
  }
  Record r = base_record(&m, ctx);
  r.recipient = e.recipient;
  r.orig_recipient = e.orig_recipient;
  r.recipient_domain = domain_of(e.recipient);
  r.relay_host = e.relay_host;
  r.relay_ip = e.relay_ip;
  r.relay_port = e.relay_port;
  r.status = e.status;
  r.outcome = outcome_of(e.status, e.daemon);
  r.reply_code = e.reply_code;
  r.enhanced_code = e.dsn;
  r.reply_text = e.reply_text;
  r.diagnostic = e.diagnostic;
  r.phase = e.phase;
  r.delay_s = e.delay;
  r.delays = e.delays;
  r.tls = e.tls;
  r.probe = is_probe_status(e.status);
  r.attempt = ++rc->attempts;
  r.classification = e.classification;
  rc->decided = r.outcome != Outcome::deferred;
  if (view_ == View::attempts) emit(r);
  if (view_ == View::final) {
    rc->last = OwnedRecord(r);
    rc->has_last = true;
  }
}

void PostfixCorrelator::on_expired(Message& m, const PostfixEvent& e, const LineContext& ctx) {
  m.sender = std::string(e.sender);
  m.has_sender = true;
  for (Recipient& rc : m.recipients) {
    if (rc.decided || rc.hop) continue;
    // The expiry line names no recipient: reuse the last attempt's facts, which
    // also tell why it never got through.
    OwnedRecord expired = rc.has_last ? rc.last : OwnedRecord();
    Record& r = expired.get();
    if (!rc.has_last) {
      r = base_record(&m, ctx);
      r.recipient = rc.address;
      r.recipient_domain = domain_of(rc.address);
    }
    stamp(r, ctx);
    r.outcome = Outcome::expired;
    r.status = e.status;
    give_up(r.classification);
    rc.decided = true;
    if (view_ == View::attempts) {
      emit(r);
    } else {
      rc.last = OwnedRecord(r);
      rc.has_last = true;
    }
  }
}

void PostfixCorrelator::on_reject(const PostfixEvent& e, const LineContext& ctx) {
  Message* m = e.queue_id.empty() ? nullptr : find(ctx.host, e.queue_id);
  Record r = base_record(m, ctx);
  if (e.queue_id.empty())
    r.message_key = {};
  else
    r.message_key = e.queue_id;
  if (e.has_sender) r.sender = e.sender;
  if (!e.client_host.empty() || !e.client_ip.empty()) {
    r.client_host = e.client_host;
    r.client_ip = e.client_ip;
  }
  r.recipient = e.recipient;
  r.recipient_domain = domain_of(e.recipient);
  r.outcome = Outcome::rejected;
  r.status = "reject";
  r.reply_code = e.reply_code;
  r.reply_text = e.reply_text;
  r.diagnostic = e.diagnostic;
  r.phase = e.phase;
  r.attempt = 1;
  r.classification = e.classification;
  emit(r);
}

void PostfixCorrelator::close(const std::string& key, bool evicted) {
  const auto it = messages_.find(key);
  if (it == messages_.end()) return;
  if (view_ == View::final) {
    for (Recipient& rc : it->second.recipients)
      if (rc.has_last && !rc.hop) emit(rc.last.get());
  }
  if (evicted) ++evicted_;
  messages_.erase(it);
}

void PostfixCorrelator::enforce_bounds(std::int64_t now_us) {
  // Count bound: flush the oldest messages (by first appearance).
  while (messages_.size() > max_open_ && !by_age_.empty()) {
    const auto [seq, key] = by_age_.front();
    by_age_.pop_front();
    const auto it = messages_.find(key);
    if (it != messages_.end() && it->second.seq == seq) close(key, true);
  }
  // Drop the queue entries of closed messages in one pass once they outnumber
  // the open ones: the queue stays within about twice the open messages, at
  // an amortised O(1) a line instead of a hash lookup on every line.
  if (by_age_.size() > 2 * messages_.size() + 64) {
    std::deque<std::pair<std::uint64_t, std::string>> open;
    for (auto& entry : by_age_) {
      const auto it = messages_.find(entry.second);
      if (it != messages_.end() && it->second.seq == entry.first) open.push_back(std::move(entry));
    }
    by_age_.swap(open);
  }
  // Age bound: scan at most every quarter of the limit.
  if (max_age_us_ > 0 && now_us - last_age_scan_us_ > max_age_us_ / 4) {
    last_age_scan_us_ = now_us;
    std::vector<std::pair<std::uint64_t, std::string>> idle;
    for (const auto& [key, m] : messages_)
      if (now_us - m.last_seen_us > max_age_us_) idle.emplace_back(m.seq, key);
    std::sort(idle.begin(), idle.end());
    for (const auto& [seq, key] : idle) close(key, true);
  }
}

void PostfixCorrelator::finish() {
  std::vector<std::pair<std::uint64_t, std::string>> open;
  open.reserve(messages_.size());
  for (const auto& [key, m] : messages_) open.emplace_back(m.seq, key);
  std::sort(open.begin(), open.end());
  for (const auto& [seq, key] : open) close(key, false);
  by_age_.clear();
  pending_links_.clear();
}

}  // namespace bounce::correlate
