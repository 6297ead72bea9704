// The output columns of a Record, in one place: JSONL, CSV and TSV (and the
// Python columns) spell and order them the same way. The classification's
// columns follow the record's own (see classification_fields.hpp).

#ifndef BOUNCE_CLI_RECORD_FIELDS_HPP_
#define BOUNCE_CLI_RECORD_FIELDS_HPP_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bounce/record.hpp"
#include "json_writer.hpp"

namespace bounce::cli {

/// What a column holds, for writers that keep types (Arrow, pandas).
enum class FieldType : std::uint8_t { text, time, integer, real, flag, vocabulary };

/// One output column of a record: its name, its type, and how to read it.
/// Exactly one accessor is set, by type.
struct RecordField {
  std::string_view name;
  FieldType type;
  /// text: the value ("" when absent), a view of the record or of `scratch`.
  std::string_view (*text)(const Record& r, std::string& scratch) = nullptr;
  /// time (UTC microseconds), integer, flag (0/1) and vocabulary (the enum's
  /// value): false when absent.
  bool (*integer)(const Record& r, std::int64_t& out) = nullptr;
  /// real: false when absent.
  bool (*real)(const Record& r, double& out) = nullptr;
  /// vocabulary: the names of the enum's values, by value.
  std::vector<std::string_view> vocabulary{};
  /// text that is a Record member as it is: the member, for writers that
  /// read every row (Arrow) and would otherwise pay a call per value.
  std::string_view Record::*member = nullptr;
};

/// Every column, in output order; the classification's come last.
const std::vector<RecordField>& record_fields();

/// All column names of a record, in output order.
const std::vector<std::string_view>& record_columns();

/// A column's value as text whatever its type ("" when absent): what CSV and
/// TSV cells hold. Formatted values go into `scratch`.
std::string_view field_text(const RecordField& f, const Record& r, std::string& scratch);

/// "2025-07-05T06:52:11.000000Z" for UTC microseconds.
std::string format_utc(std::int64_t micros);

/// The record as one JSON object (absent numbers as null).
void write_record_json(JsonObject& obj, const Record& r);

/// The record as text cells, in record_columns() order ("" when absent).
std::vector<std::string> record_cells(const Record& r);

}  // namespace bounce::cli

#endif  // BOUNCE_CLI_RECORD_FIELDS_HPP_
