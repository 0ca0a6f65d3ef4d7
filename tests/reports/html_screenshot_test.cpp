// report.html as a person sees it: headless Chromium renders a failing and a passing report;
// the test asserts the rendered banner and row order, and keeps a PNG of each page in the build
// directory (MPCHECK_ARTEFACT_DIR) for people to look at.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <expected>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "headless_chromium.hpp"
#include "mpcheck/reports/writers.hpp"
#include "prerequisite.hpp"

extern char** environ;

namespace mpcheck::reports {
namespace {

namespace fs = std::filesystem;
using mpcheck::test::headless_chromium;
using mpcheck::test::kChromium;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::expected<std::string, std::string> chromium(const fs::path& page, const std::string& mode) {
  return headless_chromium(page, mode);
}

Case make_case(std::string name, Status status, bool required, std::string message = {}) {
  Case c;
  c.name = std::move(name);
  c.status = status;
  c.required = required;
  c.message = std::move(message);
  return c;
}

Finding warning(std::string rule, std::string message) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = "warning";
  f.message = std::move(message);
  return f;
}

// A conformance run: a clean suite listed first, then one with every kind of row, in an order
// the report must change (pass, skip, warning, optional failure, required failures).
Run failing_run() {
  Run run;
  run.tool_version = "9.9.9";
  run.command = "conformance";
  run.spec = "main";
  Suite clean{"pull", "127.0.0.1:5000/models/x", "registry", {}};
  clean.cases.push_back(make_case("pull manifest by tag", Status::Pass, true));
  clean.cases.push_back(make_case("pull blob", Status::Pass, true));
  run.suites.push_back(clean);
  Suite mixed{"push", "127.0.0.1:5000/models/x", "registry", {}};
  mixed.cases.push_back(make_case("push config blob", Status::Pass, true, "pushed in 0.1s"));
  mixed.cases.push_back(make_case("referrers API", Status::Skip, false, "not requested"));
  Case warned = make_case("push layer annotations", Status::Pass, false);
  warned.findings.push_back(warning("MPM015", "layer 1 has no org.cncf.model.filepath"));
  mixed.cases.push_back(warned);
  mixed.cases.push_back(
      make_case("delete manifest", Status::Fail, false, "registry answered HTTP 405"));
  mixed.cases.push_back(
      make_case("push manifest", Status::Fail, true, "registry answered HTTP 400"));
  mixed.cases.push_back(make_case("mount blob", Status::Error, true, "connection reset"));
  run.suites.push_back(mixed);
  return run;
}

// Conformant, with one optional failure the banner must explain.
Run passing_run() {
  reports::Run run = failing_run();
  auto& cases = run.suites[1].cases;
  cases.erase(cases.begin() + 4, cases.end());  // the required failures go
  return run;
}

fs::path artefact_dir() {
  fs::path dir = MPCHECK_ARTEFACT_DIR;
  fs::create_directories(dir);
  return dir;
}

struct Rendered {
  std::string dom;
  fs::path png;
};

std::expected<Rendered, std::string> render(const Run& run, const std::string& name) {
  fs::path dir = artefact_dir();
  fs::path page = dir / (name + ".html");
  {
    std::ofstream out(page, std::ios::binary);
    write_html(run, out);
  }
  auto dom = chromium(page, "--dump-dom");
  if (!dom) return std::unexpected(dom.error());
  fs::path png = dir / (name + ".png");
  fs::remove(png);
  auto shot = chromium(page, "--screenshot=" + png.string());
  if (!shot) return std::unexpected(shot.error());
  std::cout << "screenshot: " << png.string() << '\n';
  return Rendered{*dom, png};
}

// Positions of `names` in `dom`, in the order given; npos for one not found.
std::vector<std::size_t> positions(const std::string& dom, const std::vector<std::string>& names) {
  std::vector<std::size_t> out;
  for (const auto& n : names) out.push_back(dom.find("<td>" + n + "</td>"));
  return out;
}

bool png_with_pixels(const fs::path& png) {
  std::string bytes = slurp(png);
  return bytes.size() > 1000 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0;
}

TEST(HtmlScreenshot, FailingReportLeadsWithTheFailures) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  auto r = render(failing_run(), "report-failing");
  ASSERT_TRUE(r) << r.error();
  const std::string& dom = r->dom;
  EXPECT_NE(dom.find("<h1>not-conformant</h1>"), std::string::npos) << dom;
  EXPECT_NE(dom.find("<p id=\"why\" class=\"why\">2 required cases failed; 1 optional failed</p>"),
            std::string::npos)
      << dom;
  // The filter ran ticked: the body hides passing rows, not the warning.
  EXPECT_NE(dom.find("<body class=\"failed-only\" data-script=\"ran\">"), std::string::npos);
  EXPECT_NE(dom.find("<tr class=\"case pass warn\"><td>push layer annotations</td>"),
            std::string::npos);
  // The suite with failures first, then its rows: required failures, optional failure,
  // warning, pass, skip.
  auto at =
      positions(dom, {"push manifest", "mount blob", "delete manifest", "push layer annotations",
                      "push config blob", "referrers API", "pull manifest by tag"});
  for (std::size_t i = 0; i < at.size(); ++i) ASSERT_NE(at[i], std::string::npos) << i;
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << dom;
  // The violation only when failed: the passing row's message is not shown.
  EXPECT_EQ(dom.find("pushed in 0.1s"), std::string::npos);
  EXPECT_NE(dom.find("registry answered HTTP 400"), std::string::npos);
  // One layout for every table.
  EXPECT_NE(dom.find("table-layout:fixed"), std::string::npos);
  EXPECT_TRUE(png_with_pixels(r->png)) << r->png;
}

TEST(HtmlScreenshot, PassingReportSaysTheFailureWasOptional) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  auto r = render(passing_run(), "report-passing");
  ASSERT_TRUE(r) << r.error();
  const std::string& dom = r->dom;
  EXPECT_NE(dom.find("<h1>conformant</h1>"), std::string::npos) << dom;
  EXPECT_NE(dom.find("<p id=\"why\" class=\"why\">all required cases passed; 1 optional "
                     "failed; 1 warning</p>"),
            std::string::npos)
      << dom;
  auto at = positions(dom, {"delete manifest", "push layer annotations", "push config blob",
                            "referrers API", "pull manifest by tag"});
  for (std::size_t i = 0; i < at.size(); ++i) ASSERT_NE(at[i], std::string::npos) << i;
  EXPECT_TRUE(std::is_sorted(at.begin(), at.end())) << dom;
  EXPECT_TRUE(png_with_pixels(r->png)) << r->png;
}

TEST(HtmlScreenshot, AllPassedStartsUnfiltered) {
  MPCHECK_REQUIRE(access(kChromium, X_OK) == 0, "chromium (" << kChromium << ")");
  reports::Run run = failing_run();
  run.suites.pop_back();
  auto r = render(run, "report-all-passed");
  ASSERT_TRUE(r) << r.error();
  EXPECT_NE(r->dom.find("<p id=\"why\" class=\"why\">all required cases passed</p>"),
            std::string::npos)
      << r->dom;
  auto body = r->dom.find("<body");
  ASSERT_NE(body, std::string::npos);
  std::string tag = r->dom.substr(body, r->dom.find('>', body) - body);
  EXPECT_NE(tag.find("data-script=\"ran\""), std::string::npos) << tag;
  EXPECT_EQ(tag.find("failed-only"), std::string::npos) << tag;
}

}  // namespace
}  // namespace mpcheck::reports
