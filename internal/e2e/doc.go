// Package e2e holds Ombud's browser tests: a real server on loopback,
// driven through headless Chromium with chromedp. The package has no code
// of its own; everything is in its _test.go files.
//
// The tests skip when Chromium is not installed, unless
// OMBUD_REQUIRE_BROWSER=1. OMBUD_CHROMIUM names the browser binary;
// OMBUD_ARTIFACTS, a directory for the screenshots taken along the way.
package e2e
