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

PostfixCorrelator::Recipient& PostfixCorrelator::Message::add_recipient(std::string_view address) {
  if (recipient_count == recipient_pool.size()) recipient_pool.emplace_back();
  Recipient& rc = recipient_pool[recipient_count++];
  rc.address.assign(address);
  rc.attempts = 0;
  rc.decided = rc.hop = rc.has_last = false;
  return rc;
}

void PostfixCorrelator::Message::reset() noexcept {
  sender.clear();
  message_id.clear();
  client_host.clear();
  client_ip.clear();
  origin_key.clear();
  has_sender = notification = false;
  size = 0;
  last_seen_us = 0;
  recipient_count = 0;
}

const std::string& PostfixCorrelator::link_key(std::string_view host, std::string_view qid) {
  key_buf_.assign(host);
  key_buf_.push_back('\0');
  key_buf_.append(qid);
  return key_buf_;
}

PostfixCorrelator::Message* PostfixCorrelator::find(std::string_view host, std::string_view qid) {
  const Slot slot = messages_.find(host, qid, messages_.hash(host, qid));
  return slot == kNone ? nullptr : &messages_[slot];
}

PostfixCorrelator::Message& PostfixCorrelator::message(std::string_view host, std::string_view qid,
                                                       const LineContext& ctx) {
  const std::uint64_t h = messages_.hash(host, qid);
  Slot slot = messages_.find(host, qid, h);
  if (slot == kNone) {
    slot = messages_.insert(host, qid, h);
    if (!pending_links_.empty()) {
      if (const auto link = pending_links_.find(link_key(host, qid));
          link != pending_links_.end()) {
        inherit(messages_[slot], link->second);
        pending_links_.erase(link);
      }
    }
  }
  Message& m = messages_[slot];
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
    pending_links_[link_key(host, child_qid)] = inheritance_of(parent);
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
        m.client_host.assign(e.client_host);
        m.client_ip.assign(e.client_ip);
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
          for (Recipient& rc : parent->recipients())
            if (!rc.decided) rc.hop = true;
          close(ctx.host, e.new_queue_id);
        }
      }
      break;
    }
    case PostfixEventKind::message_id:
      message(ctx.host, e.queue_id, ctx).message_id.assign(e.message_id);
      break;
    case PostfixEventKind::queued: {
      Message& m = message(ctx.host, e.queue_id, ctx);
      m.sender.assign(e.sender);
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
      close(ctx.host, e.queue_id);
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
  for (Recipient& x : m.recipients())
    if (x.address == e.recipient) rc = &x;
  if (!rc) rc = &m.add_recipient(e.recipient);
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
    rc->last.assign(r);
    rc->has_last = true;
  }
}

void PostfixCorrelator::on_expired(Message& m, const PostfixEvent& e, const LineContext& ctx) {
  m.sender.assign(e.sender);
  m.has_sender = true;
  for (Recipient& rc : m.recipients()) {
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
      rc.last.assign(r);
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

void PostfixCorrelator::close(Slot slot, bool evicted) {
  if (view_ == View::final) {
    for (Recipient& rc : messages_[slot].recipients())
      if (rc.has_last && !rc.hop) emit(rc.last.get());
  }
  if (evicted) ++evicted_;
  messages_.erase(slot);
}

void PostfixCorrelator::close(std::string_view host, std::string_view qid) {
  const Slot slot = messages_.find(host, qid, messages_.hash(host, qid));
  if (slot != kNone) close(slot, false);
}

void PostfixCorrelator::enforce_bounds(std::int64_t now_us) {
  // Count bound: flush the oldest messages (by first appearance).
  while (messages_.size() > max_open_) close(messages_.oldest(), true);
  // Age bound: scan at most every quarter of the limit.
  if (max_age_us_ > 0 && now_us - last_age_scan_us_ > max_age_us_ / 4) {
    last_age_scan_us_ = now_us;
    for (const Slot slot : messages_.oldest_first())
      if (now_us - messages_[slot].last_seen_us > max_age_us_) close(slot, true);
  }
}

void PostfixCorrelator::finish() {
  for (const Slot slot : messages_.oldest_first()) close(slot, false);
  pending_links_.clear();
}

}  // namespace bounce::correlate
