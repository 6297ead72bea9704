// Records as Arrow record batches, through the Arrow C data and stream
// interfaces (arrow.apache.org/docs/format/CDataInterface.html): no libarrow
// link, no Python object per record. pyarrow, polars, DuckDB and pandas (via
// pyarrow) read the stream directly.
//
// Column types: timestamps are timestamp[us, UTC]; codes, counts and line
// numbers are integers (null when absent); flags are booleans; the
// low-cardinality vocabularies (format, outcome, bounce_type, reason, action,
// stage, provider) are dictionary-encoded (pandas category); the rest is utf8.
// Names and order are those of `bounce parse` (record_columns()).

#ifndef BOUNCE_BINDINGS_PYTHON_ARROW_BATCH_HPP_
#define BOUNCE_BINDINGS_PYTHON_ARROW_BATCH_HPP_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bounce/record.hpp"

extern "C" {
// The Arrow C data interface ABI (stable, defined by the Arrow specification).
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif
#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE
struct ArrowArrayStream {
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);
  void (*release)(struct ArrowArrayStream*);
  void* private_data;
};
#endif
}

namespace bounce::python {

/// One record batch being built, then frozen and exported.
class RecordBatchBuilder {
 public:
  RecordBatchBuilder();
  ~RecordBatchBuilder();
  RecordBatchBuilder(RecordBatchBuilder&&) noexcept;
  RecordBatchBuilder& operator=(RecordBatchBuilder&&) noexcept;
  void append(const Record& r);
  std::size_t rows() const noexcept { return rows_; }

  class Bytes;    // a text column's bytes
  struct Column;  // buffers of one column
  struct Batch;   // a frozen batch: columns with their Arrow buffers
  /// Freezes the rows appended so far into a batch and starts a new one.
  std::shared_ptr<Batch> finish();

 private:
  struct ColumnGroups;  // the columns by how a value is read (arrow_batch.cpp)
  const ColumnGroups* groups_;

  std::vector<Column> columns_;  // in record_fields() order
  std::size_t rows_ = 0;
  std::string scratch_;  // for values formatted on the way (enhanced codes)
};

/// The stream of batches, exported to a consumer.
void export_stream(std::vector<std::shared_ptr<RecordBatchBuilder::Batch>> batches,
                   ArrowArrayStream* out);
/// The schema alone.
void export_schema(ArrowSchema* out);

}  // namespace bounce::python

#endif  // BOUNCE_BINDINGS_PYTHON_ARROW_BATCH_HPP_
