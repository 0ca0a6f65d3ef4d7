#pragma once
// A Diagnostic as the report model's Finding (validator -> reports is an allowed dependency).
#include "mpcheck/reports/model.hpp"
#include "mpcheck/validator/diagnostic.hpp"

namespace mpcheck {

inline reports::Finding to_finding(const Diagnostic& d) {
  reports::Finding f;
  f.rule = d.rule;
  f.severity = std::string(to_string(d.severity));
  f.message = d.message;
  f.pointer = d.pointer;
  f.line = d.line;
  f.column = d.column;
  f.spec = d.spec;
  f.manifest_digest = d.where.manifest_digest;
  f.layer_index = d.where.layer_index;
  f.layer_digest = d.where.layer_digest;
  f.entry = d.where.entry;
  f.blob = d.where.blob;
  return f;
}

}  // namespace mpcheck
