// Building record batches and exporting them through the Arrow C interfaces.

#include "arrow_batch.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "json_writer.hpp"
#include "record_fields.hpp"
#include "text_util.hpp"

namespace bounce::python {
namespace {

constexpr int64_t kNullable = 2;  // ARROW_FLAG_NULLABLE

using Type = cli::FieldType;  // each field type has one Arrow layout

}  // namespace

// A text column's bytes: grown without zeroing (std::string::resize writes
// every byte twice) and appended to without std::string::append's length,
// terminator and capacity bookkeeping per value.
class RecordBatchBuilder::Bytes {
 public:
  void append(std::string_view v) {
    if (capacity_ - size_ < v.size()) grow(v.size());
    copy_text(data_.get() + size_, v);
    size_ += v.size();
  }
  void reserve(std::size_t n) {
    if (n > capacity_) reallocate(n);
  }
  void clear() noexcept { size_ = 0; }
  /// Never null (Arrow's data buffer of an all-empty column included).
  const char* data() const noexcept { return data_ ? data_.get() : ""; }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data(), size_}; }

 private:
  static constexpr std::size_t kMin = 4096;
  [[gnu::noinline]] void grow(std::size_t more) {
    reallocate(std::max({2 * capacity_, size_ + more, kMin}));
  }
  void reallocate(std::size_t n) {
    auto bigger = std::make_unique_for_overwrite<char[]>(n);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0, capacity_ = 0;
};

struct RecordBatchBuilder::Column {
  const cli::RecordField* field = nullptr;
  // Buffers; which are used depends on the field type.
  std::vector<uint8_t> validity;  // bit per row, 1 = valid
  int64_t nulls = 0;
  std::vector<int32_t> offsets{0};
  Bytes data;
  std::vector<int64_t> i64;
  std::vector<double> f64;
  std::vector<uint8_t> bits;  // booleans
  std::vector<int8_t> index;  // dictionary indices
  std::size_t rows = 0;

  // Capacity for as many values as `other` holds, and an eighth more for
  // text: a batch's buffers grow by doubling (a copy of everything so far
  // each time) unless reserved, and the next batch's text is seldom exactly
  // as long.
  void reserve_like(const Column& other) {
    validity.reserve(other.validity.size());
    offsets.reserve(other.offsets.size());
    data.reserve(other.data.size() + other.data.size() / 8);
    i64.reserve(other.i64.size());
    f64.reserve(other.f64.size());
    bits.reserve(other.bits.size());
    index.reserve(other.index.size());
  }
  // The validity bitmap is only built from a column's first null on (most
  // columns have none, and Arrow takes a missing bitmap as all valid).
  void valid(bool ok) {
    if (ok && nulls == 0) return;
    mark_validity(ok);
  }
  void mark_validity(bool ok) {
    if (nulls == 0) {
      validity.assign(rows / 8, 0xFF);  // the rows so far were all valid
      if (rows % 8) validity.push_back(static_cast<uint8_t>((1u << (rows % 8)) - 1));
    }
    if (rows % 8 == 0) validity.push_back(0);
    if (ok)
      validity.back() |= static_cast<uint8_t>(1u << (rows % 8));
    else
      ++nulls;
  }
  void str(std::string_view v) {
    valid(true);
    if (!v.empty()) data.append(v);  // as logged; make_utf8() fixes the column at the end
    offsets.push_back(static_cast<int32_t>(data.size()));
    ++rows;
  }
  // Arrow utf8 must be valid UTF-8; log bytes may not be. Checking the
  // column's bytes in one pass at the end of a batch costs a fraction of a
  // check per value, and all-ASCII columns (nearly all) need nothing more;
  // otherwise each value is rewritten with invalid bytes replaced.
  void make_utf8() {
    if (is_ascii(data.view())) return;
    std::string fixed;
    fixed.reserve(data.size());
    std::size_t start = 0;  // of the value as logged (offsets[0] is 0)
    for (std::size_t i = 1; i < offsets.size(); ++i) {
      const auto end = static_cast<std::size_t>(offsets[i]);
      append_utf8(fixed, data.view().substr(start, end - start));
      offsets[i] = static_cast<int32_t>(fixed.size());
      start = end;
    }
    data.clear();
    data.append(fixed);
  }
  void integer(int64_t v, bool ok = true) {
    valid(ok);
    i64.push_back(ok ? v : 0);
    ++rows;
  }
  void real(double v, bool ok) {
    valid(ok);
    f64.push_back(ok ? v : 0);
    ++rows;
  }
  void boolean(bool v) {
    valid(true);
    if (rows % 8 == 0) bits.push_back(0);
    if (v) bits.back() |= static_cast<uint8_t>(1u << (rows % 8));
    ++rows;
  }
  void dict(int64_t v) {
    valid(true);
    index.push_back(static_cast<int8_t>(v));
    ++rows;
  }
};

namespace {

using Column = RecordBatchBuilder::Column;

const char* format_string(Type t) {
  switch (t) {
    case Type::text:
      return "u";
    case Type::time:
      return "tsu:UTC";
    case Type::integer:
      return "l";
    case Type::real:
      return "g";
    case Type::flag:
      return "b";
    case Type::vocabulary:
      return "c";  // int8 indices; the dictionary is utf8
  }
  return "u";
}

}  // namespace

struct RecordBatchBuilder::Batch {
  std::vector<Column> columns;
  int64_t rows = 0;
};

// The columns by how a value is read, each group appended in one loop whose
// per-value code is inlined (a call and a type switch per value cost more
// than the value's copy). `column` indexes the builder's columns, which are
// in record_fields() order; the groups depend on nothing else, so there is
// one set of them.
struct RecordBatchBuilder::ColumnGroups {
  template <class Read>
  struct Entry {
    Read read;
    std::size_t column;
  };
  std::vector<Entry<std::string_view Record::*>> text_members;
  std::vector<Entry<std::string_view (*)(const Record&, std::string&)>> texts;
  std::vector<Entry<bool (*)(const Record&, std::int64_t&)>> integers, flags, vocabularies;
  std::vector<Entry<bool (*)(const Record&, double&)>> reals;

  static const ColumnGroups& get() {
    static const ColumnGroups groups = [] {
      ColumnGroups g;
      std::size_t i = 0;
      for (const cli::RecordField& f : cli::record_fields()) {
        switch (f.type) {
          case Type::text:
            if (f.member)
              g.text_members.push_back({f.member, i});
            else
              g.texts.push_back({f.text, i});
            break;
          case Type::time:
          case Type::integer:
            g.integers.push_back({f.integer, i});
            break;
          case Type::real:
            g.reals.push_back({f.real, i});
            break;
          case Type::flag:
            g.flags.push_back({f.integer, i});
            break;
          case Type::vocabulary:
            g.vocabularies.push_back({f.integer, i});
            break;
        }
        ++i;
      }
      return g;
    }();
    return groups;
  }
};

RecordBatchBuilder::RecordBatchBuilder() : groups_(&ColumnGroups::get()) {
  for (const cli::RecordField& f : cli::record_fields()) {
    Column c;
    c.field = &f;
    columns_.push_back(std::move(c));
  }
}

RecordBatchBuilder::~RecordBatchBuilder() = default;
RecordBatchBuilder::RecordBatchBuilder(RecordBatchBuilder&&) noexcept = default;
RecordBatchBuilder& RecordBatchBuilder::operator=(RecordBatchBuilder&&) noexcept = default;

void RecordBatchBuilder::append(const Record& r) {
  const ColumnGroups& g = *groups_;
  Column* const columns = columns_.data();
  for (const auto& [member, i] : g.text_members) columns[i].str(r.*member);
  for (const auto& [text, i] : g.texts) columns[i].str(text(r, scratch_));
  for (const auto& [integer, i] : g.integers) {
    std::int64_t n = 0;
    const bool ok = integer(r, n);
    columns[i].integer(n, ok);
  }
  for (const auto& [flag, i] : g.flags) {
    std::int64_t n = 0;
    flag(r, n);
    columns[i].boolean(n != 0);
  }
  for (const auto& [vocabulary, i] : g.vocabularies) {
    std::int64_t n = 0;
    vocabulary(r, n);
    columns[i].dict(n);
  }
  for (const auto& [real, i] : g.reals) {
    double d = 0;
    const bool ok = real(r, d);
    columns[i].real(d, ok);
  }
  ++rows_;
}

std::shared_ptr<RecordBatchBuilder::Batch> RecordBatchBuilder::finish() {
  for (Column& c : columns_)
    if (c.field->type == Type::text) c.make_utf8();
  auto batch = std::make_shared<Batch>();
  batch->rows = static_cast<int64_t>(rows_);
  batch->columns = std::move(columns_);
  columns_.clear();
  *this = RecordBatchBuilder();
  // The next batch is likely as large (batches are cut at a row count).
  for (std::size_t i = 0; i < columns_.size(); ++i) columns_[i].reserve_like(batch->columns[i]);
  return batch;
}

// ---------------------------------------------------------------- export
namespace {

using Batch = RecordBatchBuilder::Batch;

// What an exported array owns: the batch (so buffers outlive the consumer's
// use) and the pointer arrays the C structs point to.
struct ArrayPrivate {
  std::shared_ptr<Batch> batch;
  std::vector<const void*> buffers;
  std::vector<ArrowArray*> children;
  ArrowArray* dictionary = nullptr;
  std::string dictionary_data;
  std::vector<int32_t> dictionary_offsets;
};

// Releases an exported array or schema: its children, its dictionary, then
// its private data (the C Data Interface's release contract).
template <typename Private, typename Node>
void release_node(Node* n) {
  if (!n || !n->release) return;
  auto* p = static_cast<Private*>(n->private_data);
  for (Node* child : p->children) {
    if (child->release) child->release(child);
    delete child;
  }
  if (p->dictionary) {
    if (p->dictionary->release) p->dictionary->release(p->dictionary);
    delete p->dictionary;
  }
  delete p;
  n->release = nullptr;
}

void release_array(ArrowArray* a) { release_node<ArrayPrivate>(a); }

void fill_array(ArrowArray* a, ArrayPrivate* p, int64_t length, int64_t nulls) {
  a->length = length;
  a->null_count = nulls;
  a->offset = 0;
  a->n_buffers = static_cast<int64_t>(p->buffers.size());
  a->buffers = p->buffers.data();
  a->n_children = static_cast<int64_t>(p->children.size());
  a->children = p->children.empty() ? nullptr : p->children.data();
  a->dictionary = p->dictionary;
  a->release = release_array;
  a->private_data = p;
}

ArrowArray* export_dictionary(const std::vector<std::string_view>& names) {
  auto* p = new ArrayPrivate;
  p->dictionary_offsets.push_back(0);
  for (const auto& n : names) {
    p->dictionary_data += n;
    p->dictionary_offsets.push_back(static_cast<int32_t>(p->dictionary_data.size()));
  }
  p->buffers = {nullptr, p->dictionary_offsets.data(), p->dictionary_data.data()};
  auto* a = new ArrowArray{};
  fill_array(a, p, static_cast<int64_t>(names.size()), 0);
  return a;
}

ArrowArray* export_column(const std::shared_ptr<Batch>& batch, const Column& c) {
  auto* p = new ArrayPrivate;
  p->batch = batch;
  const void* validity = c.nulls ? c.validity.data() : nullptr;
  switch (c.field->type) {
    case Type::text:
      p->buffers = {validity, c.offsets.data(), c.data.data()};
      break;
    case Type::time:
    case Type::integer:
      p->buffers = {validity, c.i64.data()};
      break;
    case Type::real:
      p->buffers = {validity, c.f64.data()};
      break;
    case Type::flag:
      p->buffers = {validity, c.bits.data()};
      break;
    case Type::vocabulary:
      p->buffers = {validity, c.index.data()};
      p->dictionary = export_dictionary(c.field->vocabulary);
      break;
  }
  auto* a = new ArrowArray{};
  fill_array(a, p, batch->rows, c.nulls);
  return a;
}

void export_batch(const std::shared_ptr<Batch>& batch, ArrowArray* out) {
  auto* p = new ArrayPrivate;
  p->batch = batch;
  p->buffers = {nullptr};  // a struct array has only a validity buffer
  for (const Column& c : batch->columns) p->children.push_back(export_column(batch, c));
  fill_array(out, p, batch->rows, 0);
}

// ---- schema
struct SchemaPrivate {
  std::vector<ArrowSchema*> children;
  ArrowSchema* dictionary = nullptr;
  std::string name;
};

void release_schema(ArrowSchema* s) { release_node<SchemaPrivate>(s); }

ArrowSchema* new_schema(const char* format, std::string name, int64_t flags) {
  auto* p = new SchemaPrivate;
  p->name = std::move(name);
  auto* s = new ArrowSchema{};
  s->format = format;
  s->name = p->name.c_str();
  s->metadata = nullptr;
  s->flags = flags;
  s->release = release_schema;
  s->private_data = p;
  return s;
}

}  // namespace

void export_schema(ArrowSchema* out) {
  auto* p = new SchemaPrivate;
  for (const cli::RecordField& f : cli::record_fields()) {
    ArrowSchema* child = new_schema(format_string(f.type), std::string(f.name), kNullable);
    if (f.type == Type::vocabulary) {
      auto* cp = static_cast<SchemaPrivate*>(child->private_data);
      cp->dictionary = new_schema("u", "", 0);
      child->dictionary = cp->dictionary;
    }
    p->children.push_back(child);
  }
  out->format = "+s";
  out->name = "";
  out->metadata = nullptr;
  out->flags = 0;
  out->n_children = static_cast<int64_t>(p->children.size());
  out->children = p->children.data();
  out->dictionary = nullptr;
  out->release = release_schema;
  out->private_data = p;
  for (ArrowSchema* child : p->children) child->n_children = 0;
}

namespace {

struct StreamPrivate {
  std::vector<std::shared_ptr<Batch>> batches;
  std::size_t next = 0;
};

int stream_schema(ArrowArrayStream*, ArrowSchema* out) {
  export_schema(out);
  return 0;
}
int stream_next(ArrowArrayStream* s, ArrowArray* out) {
  auto* p = static_cast<StreamPrivate*>(s->private_data);
  if (p->next >= p->batches.size()) {
    std::memset(out, 0, sizeof *out);  // released array = end of stream
    return 0;
  }
  export_batch(p->batches[p->next++], out);
  return 0;
}
const char* stream_error(ArrowArrayStream*) { return nullptr; }
void stream_release(ArrowArrayStream* s) {
  if (!s || !s->release) return;
  delete static_cast<StreamPrivate*>(s->private_data);
  s->release = nullptr;
}

}  // namespace

void export_stream(std::vector<std::shared_ptr<Batch>> batches, ArrowArrayStream* out) {
  auto* p = new StreamPrivate;
  p->batches = std::move(batches);
  out->get_schema = stream_schema;
  out->get_next = stream_next;
  out->get_last_error = stream_error;
  out->release = stream_release;
  out->private_data = p;
}

}  // namespace bounce::python
