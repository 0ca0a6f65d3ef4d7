#pragma once
// A Run with every kind of case, for the writer tests.
#include <string>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports::testing {

inline Finding finding(std::string rule, std::string severity, std::string message,
                       std::string pointer, std::uint32_t line, std::uint32_t column) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = std::move(severity);
  f.message = std::move(message);
  f.pointer = std::move(pointer);
  f.line = line;
  f.column = column;
  f.spec = "https://github.com/modelpack/model-spec/blob/main/docs/config.md";
  return f;
}

// Suite "configs/a.json": pass, fail (2 findings, control characters in the message), skip.
// Suite "registry": error with a transcript holding credentials, and an optional pass.
inline Run sample_run() {
  Run run;
  run.tool_version = "9.9.9";
  run.command = "lint";
  run.spec = "main";
  run.configuration = {{"registry", "https://user:hunter2@registry.example"}, {"spec", "main"}};
  run.rules = {{"MPC001", "error", "config", "config does not match the schema", "https://x/1"},
               {"MPC002", "error", "config", "paramSize is not <count><scale>", "https://x/2"},
               {"MPC010", "warning", "config", "description is empty", "https://x/10"}};

  Suite a{"configs/a.json", "configs/a.json", "config", {}};
  Case pass;
  pass.name = "MPC001 config does not match the schema";
  pass.duration_seconds = 0.25;
  a.cases.push_back(pass);

  Case fail;
  fail.name = "MPC002 paramSize is not <count><scale>";
  fail.status = Status::Fail;
  fail.duration_seconds = 1.5;
  fail.message = std::string("paramSize \"6.75B\" has two decimals\x1b[31m red\x01\x7f ") +
                 "bad\xff\xfe utf8 & <more>";
  fail.details = "expected at most one decimal digit";
  fail.spec_links = {"https://x/2"};
  fail.findings.push_back(finding("MPC002", "error", "paramSize \"6.75B\" has two decimals",
                                  "/config/paramSize", 3, 5));
  fail.findings.push_back(finding("MPC010", "warning", "description is empty", "", 0, 0));
  a.cases.push_back(fail);

  Case skip;
  skip.name = "MPC010 description is empty";
  skip.status = Status::Skip;
  skip.required = false;
  skip.message = "not applicable";
  a.cases.push_back(skip);
  run.suites.push_back(a);

  Suite reg{"registry", "registry.example/models/llama:1", "registry", {}};
  Case err;
  err.name = "push manifest";
  err.status = Status::Error;
  err.message = "connection reset";
  err.details = "token endpoint said {\"access_token\":\"s3cr3t-token3\"}";
  err.transcript.push_back(
      {"PUT /v2/models/llama/manifests/1 HTTP/1.1\r\nHost: registry.example\r\n"
       "Authorization: Bearer s3cr3t-token\r\n\r\n",
       "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"https://auth.example/token\""
       "\r\n\r\n{\"token\":\"s3cr3t-token2\"}"});
  reg.cases.push_back(err);
  Case optional;
  optional.name = "delete manifest";
  optional.required = false;
  optional.duration_seconds = 0.125;
  reg.cases.push_back(optional);
  run.suites.push_back(reg);
  return run;
}

}  // namespace mpcheck::reports::testing
