// OwnedRecord: a Record whose strings live in one buffer of its own.

#include "bounce/record.hpp"

#include <functional>

#include "record_views.hpp"

namespace bounce {

OwnedRecord::OwnedRecord(const Record& r) { assign(r); }
OwnedRecord::OwnedRecord(const OwnedRecord& other) { assign(other.record_); }
OwnedRecord& OwnedRecord::operator=(const OwnedRecord& other) {
  if (this != &other) assign(other.record_);
  return *this;
}
OwnedRecord::OwnedRecord(OwnedRecord&& other) noexcept { *this = std::move(other); }
OwnedRecord& OwnedRecord::operator=(OwnedRecord&& other) noexcept {
  // Views into other's heap buffer stay valid when the buffer moves, except
  // for short strings kept inline by the small-string optimisation: rebase.
  const char* old_base = other.storage_.data();
  storage_ = std::move(other.storage_);
  record_ = other.record_;
  if (storage_.data() != old_base) {
    const std::ptrdiff_t shift = storage_.data() - old_base;
    for_each_view(record_, [&](std::string_view& v) {
      if (!v.empty()) v = std::string_view(v.data() + shift, v.size());
    });
  }
  other.record_ = Record{};
  return *this;
}
OwnedRecord::~OwnedRecord() = default;

void OwnedRecord::assign(const Record& r) {
  record_ = r;
  const char* const begin = storage_.data();
  const char* const end = begin + storage_.size();
  std::size_t total = 0;
  bool into_storage = false;  // r points into our own buffer: build the new one apart
  for_each_view(record_, [&](std::string_view& v) {
    total += v.size();
    // std::less: a total order even for pointers into other objects.
    if (!v.empty() && !std::less<>{}(v.data(), begin) && std::less<>{}(v.data(), end))
      into_storage = true;
  });
  std::string apart;
  std::string& buffer = into_storage ? apart : storage_;
  buffer.clear();
  buffer.reserve(total);  // keeps a larger capacity: the refill allocates nothing
  for_each_view(record_, [&](std::string_view& v) { buffer.append(v); });
  if (into_storage) storage_ = std::move(apart);
  std::size_t offset = 0;
  for_each_view(record_, [&](std::string_view& v) {
    const std::size_t n = v.size();
    v = n ? std::string_view(storage_.data() + offset, n) : std::string_view{};
    offset += n;
  });
}

}  // namespace bounce
